// Masking checked by content, not by bytes (FORMATS.md §5): every output of a run is opened the way a person or a
// program reads it, and its text searched for a whole CPR number. A byte search over a zipped xlsx can never match,
// so xlsx and zip members are unzipped and every sheet, shared string and property read; the report's embedded JSON
// (the worklist's rows with their phrase-encoded descriptions, hints, handling, the cases elsewhere) is decoded as
// detail.js decodes it; parquet is read by DuckDB, arrow by apache-arrow; JSON and JSON lines are parsed; every file
// and folder name counts too. What a command prints is checked with cprsInText.
//
// A whole CPR number is DDMMYY-SSSS or ten digits (FORMATS.md §5), not inside a longer run of letters or digits, whose
// first six digits are a date (day 01-31, month 01-12): written here on its own, not taken from src/mask.ts, so a
// broken mask cannot blind the check. A number cell of a workbook (`<v>`) holding 9 or 10 digits is a CPR number that
// lost its leading zero or became a number, and counts when zero-padded to ten digits it is one.
import fs from 'node:fs';
import path from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import { tableFromIPC } from 'apache-arrow';
import { Db } from '../../src/db.ts';

const CANDIDATE = /(?<![\p{L}\p{N}])(\d{2})(\d{2})\d{2}-?\d{4}(?![\p{L}\p{N}])/gu;

export interface CprFinding {
  /** Where: a file (and its part, e.g. `discrepancies.xlsx!xl/worksheets/sheet1.xml`), or a command's output. */
  where: string;
  cpr: string;
  /** Up to 40 characters on either side. */
  context: string;
}

const isDate = (dd: string, mm: string) => +dd >= 1 && +dd <= 31 && +mm >= 1 && +mm <= 12;

/** The whole CPR numbers in a text. */
export function cprsInText(where: string, text: string): CprFinding[] {
  const out: CprFinding[] = [];
  for (const m of text.matchAll(CANDIDATE)) {
    if (!isDate(m[1], m[2])) continue;
    const i = m.index!;
    out.push({ where, cpr: m[0], context: text.slice(Math.max(0, i - 40), i + m[0].length + 40) });
  }
  return out;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Decodes XML/HTML character references (&amp; &#45; &#x2D;). */
export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

/** Every string (and key, and number) of a JSON value, one per line. */
export function jsonStrings(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (typeof v === 'number' || typeof v === 'bigint') out.push(String(v));
  else if (Array.isArray(v)) for (const x of v) jsonStrings(x, out);
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      out.push(k);
      jsonStrings(x, out);
    }
  }
  return out;
}

/** The worklist's embedded data as the page shows it: each row's description joined from its phrases (detail.js). */
function worklistTexts(data: { phrases?: string[]; rows?: unknown[][] }): string[] {
  const phrases = data.phrases ?? [];
  return (data.rows ?? []).map((r) => {
    const d = r[8];
    return Array.isArray(d) ? d.map((p) => (typeof p === 'number' ? phrases[p] : String(p))).join('') : String(d ?? '');
  });
}

/** report.html: its text between tags (entities decoded), every attribute value, and each embedded JSON decoded. */
export function htmlTexts(html: string): string[] {
  const texts: string[] = [];
  // script elements one after the other (detail.js's own comments name the data element: they are no element)
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
    if (!/type="application\/json"/.test(m[1])) continue;
    const data = JSON.parse(m[2]) as Record<string, unknown>;
    texts.push(...jsonStrings(data), ...worklistTexts(data as { phrases?: string[]; rows?: unknown[][] }));
  }
  // the text a reader sees, entities decoded: inline markup dropped (a CPR number split by <b> or <wbr> joins again),
  // any other tag a line break (two table cells do not make one number)
  const inline = /<\/?(?:a|abbr|b|code|em|i|mark|small|span|strong|sub|sup|wbr)\b[^>]*>/gi;
  texts.push(decodeEntities(html.replace(/<script\b[\s\S]*?<\/script>/gi, '\n').replace(inline, '').replace(/<[^>]*>/g, '\n')));
  for (const m of html.matchAll(/\s[\w:-]+="([^"]*)"/g)) texts.push(decodeEntities(m[1]));
  return texts;
}

/** An XML part: every text node and attribute value, entities decoded, one per line. */
function xmlTexts(xml: string): string[] {
  const texts: string[] = [];
  for (const m of xml.matchAll(/>([^<]+)</g)) texts.push(decodeEntities(m[1]));
  for (const m of xml.matchAll(/\s[\w:-]+="([^"]*)"/g)) texts.push(decodeEntities(m[1]));
  return texts;
}

/** Every text node and attribute of an xlsx's XML parts (the cells, shared strings and properties), for assertions. */
export function xlsxStrings(file: string): string[] {
  return Object.entries(unzipSync(fs.readFileSync(file)))
    .filter(([name]) => /\.(xml|rels)$/.test(name))
    .flatMap(([, member]) => xmlTexts(strFromU8(member)));
}

/** Number cells of a worksheet that are a CPR number turned into a number (9 or 10 digits, a date in front). */
function numberCellCprs(where: string, xml: string): CprFinding[] {
  const out: CprFinding[] = [];
  for (const m of xml.matchAll(/<c\b([^>]*)>(?:<f>[^<]*<\/f>)?<v>(\d{9,10})<\/v><\/c>/g)) {
    if (/\bt="(s|str|inlineStr)"/.test(m[1])) continue; // a shared-string index or text, read as text above
    const padded = m[2].padStart(10, '0');
    if (isDate(padded.slice(0, 2), padded.slice(2, 4))) out.push({ where, cpr: padded, context: m[0] });
  }
  return out;
}

async function parquetText(file: string): Promise<string> {
  const db = await Db.open(':memory:');
  try {
    const q = `'${file.replace(/'/g, "''")}'`;
    const names = await db.all<{ name: string }>(`SELECT name FROM parquet_schema(${q}) WHERE num_children IS NULL OR num_children = 0`);
    const rows = await db.all<Record<string, unknown>>(`SELECT COLUMNS(*)::VARCHAR FROM read_parquet(${q})`);
    return [...names.map((n) => n.name), ...rows.flatMap((r) => Object.values(r).map((v) => String(v ?? '')))].join('\n');
  } finally {
    db.close();
  }
}

function arrowText(bytes: Uint8Array): string {
  const t = tableFromIPC(bytes);
  const rows = t.toArray().map((r) => r.toJSON());
  return [...t.schema.fields.map((f) => f.name), ...jsonStrings(JSON.parse(JSON.stringify(rows, (_k, v) => (typeof v === 'bigint' ? String(v) : v))))].join('\n');
}

/** The findings of one file's content (by its name's ending); `where` names it in the findings. */
export async function cprsInFile(where: string, file: string, bytes: Uint8Array = fs.readFileSync(file)): Promise<CprFinding[]> {
  const lower = where.toLowerCase();
  const text = () => strFromU8(bytes).replace(/^\uFEFF/, '');
  const found: CprFinding[] = [];
  const texts = (ts: string[], at = where) => found.push(...cprsInText(at, ts.join('\n')));
  if (/\.(xlsx|zip|docx|ods)$/.test(lower)) {
    for (const [name, member] of Object.entries(unzipSync(bytes))) {
      const at = `${where}!${name}`;
      found.push(...cprsInText(at, name));
      if (/\.(xml|rels)$/.test(name)) {
        const xml = strFromU8(member);
        texts(xmlTexts(xml), at);
        found.push(...numberCellCprs(at, xml));
      } else found.push(...(await cprsInFile(at, `${file}!${name}`, member)));
    }
  } else if (lower.endsWith('.parquet')) {
    texts([await parquetText(file)]);
  } else if (/\.(arrow|feather|ipc)$/.test(lower)) {
    texts([arrowText(bytes)]);
  } else if (lower.endsWith('.json')) {
    texts(jsonStrings(JSON.parse(text())));
  } else if (lower.endsWith('.jsonl')) {
    texts(text().split('\n').filter((l) => l.trim() !== '').flatMap((l) => jsonStrings(JSON.parse(l))));
  } else if (/\.html?$/.test(lower)) {
    texts(htmlTexts(text()));
  } else {
    texts([text()]);
  }
  return found;
}

/** Every file under a folder (recursively), relative paths with '/', sorted. */
export function filesUnder(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(path.relative(root, p).split(path.sep).join('/'));
    }
  };
  walk(root);
  return out.sort();
}

/** The whole CPR numbers in every file under a folder (or in one file), their names included. */
export async function cprsInOutputs(target: string): Promise<CprFinding[]> {
  if (fs.statSync(target).isFile()) return [...cprsInText(path.basename(target), path.basename(target)), ...(await cprsInFile(path.basename(target), target))];
  const found: CprFinding[] = [];
  for (const rel of filesUnder(target)) {
    found.push(...cprsInText(rel, rel));
    found.push(...(await cprsInFile(rel, path.join(target, rel))));
  }
  return found;
}
