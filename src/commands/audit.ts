// `afstem audit --config F [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--municipality 101] [--wide]`: the audit trail of
// the case handling (FORMATS.md §8), a line per change, oldest first: when (UTC), case_ref, rule, municipality, key
// (masked), who, old → new of each changed field, and the source (the command line, a file and its sheet row, or the
// run that closed it); then the log of unmasked exports (table audit_unmask, `afstem export --unmask`). Reads the
// database read-only; fits 120 columns (--wide: every column at full width). Control characters in the text (a note's
// ESC or line break) are shown as escapes, never sent to the terminal.
import { lit, type Db } from '../db.ts';
import { maskText } from '../mask.ts';
import { inert } from '../terminal.ts';
import { sqlInstant } from '../instant.ts';
import { outputWidth, textTable, type TextColumn, type TableOptions } from '../outputs/text-table.ts';
import { describeChange, type TrailLine } from '../handling/trail.ts';
import { isDate } from './export.ts';
import { listOption, openForReading, parseOptions, requireConfig, runCommand, tableExists, usageError } from './common.ts';
import { AUDIT_HELP, AUDIT_USAGE } from './help.ts';

const OPTIONS = {
  config: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  municipality: { type: 'string', multiple: true },
  wide: { type: 'boolean', default: false },
} as const;

export { describeChange, type TrailLine };

export interface AuditFilter {
  from?: string;
  to?: string;
  municipalities?: string[];
}

export interface UnmaskLine {
  who: string;
  unmasked_at: string;
  filter_json: string;
  format: string;
  out_file: string;
  row_count: number;
}

const localDate = (col: string) => `CAST(timezone('Europe/Copenhagen', timezone('UTC', ${col})) AS DATE)`;

function dateWhere(col: string, f: AuditFilter): string[] {
  return [
    f.from ? `${localDate(col)} >= DATE ${lit(f.from)}` : null,
    f.to ? `${localDate(col)} <= DATE ${lit(f.to)}` : null,
  ].filter((p): p is string => p !== null);
}

export async function readTrail(db: Db, f: AuditFilter = {}): Promise<TrailLine[]> {
  if (!(await tableExists(db, 'handling_trail'))) return [];
  const where = [...dateWhere('changed_at', f)];
  if (f.municipalities?.length) where.push(`municipality IN (${f.municipalities.map(lit).join(', ')})`);
  return db.all<TrailLine>(`
    SELECT seq, ${sqlInstant('changed_at')} AS changed_at, case_ref, rule, municipality, key_id, who, source,
           old_status, new_status, old_assignee, new_assignee, old_note, new_note,
           CAST(old_follow_up AS VARCHAR) AS old_follow_up, CAST(new_follow_up AS VARCHAR) AS new_follow_up
    FROM handling_trail ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY seq`);
}

/** The unmask log; with municipalities, the exports whose filter covered one of them (named it, or named none). */
export async function readUnmaskLog(db: Db, f: AuditFilter = {}): Promise<UnmaskLine[]> {
  if (!(await tableExists(db, 'audit_unmask'))) return [];
  const where = dateWhere('unmasked_at', f);
  const rows = await db.all<UnmaskLine>(`
    SELECT who, ${sqlInstant('unmasked_at')} AS unmasked_at, filter_json, format, out_file, row_count
    FROM audit_unmask ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY unmasked_at, out_file`);
  if (!f.municipalities?.length) return rows;
  return rows.filter((r) => {
    let named: unknown;
    try {
      named = (JSON.parse(r.filter_json) as { municipalities?: unknown }).municipalities;
    } catch {
      return true;
    }
    return !Array.isArray(named) || named.some((m) => f.municipalities!.includes(String(m)));
  });
}

/** The trail and the unmask log as text tables (everything CPR-masked). */
export function formatAudit(trail: TrailLine[], unmask: UnmaskLine[], opts: TableOptions = {}): string {
  const out: string[] = [];
  // In Danish: auditors read it (issue 23)
  if (trail.length === 0) out.push('ingen ændringer i sagsbehandlingen registreret\n');
  else {
    const columns: TextColumn[] = [
      { header: 'hvornår (UTC)' },
      { header: 'sag' },
      // on a narrow terminal (80 columns) the rule, the municipality and the key go, in that order
      { header: 'regel', drop: 3 },
      { header: 'kom', drop: 2 },
      { header: 'nøgle', wrapMin: 12, drop: 1 },
      { header: 'hvem', wrapMin: 8 },
      { header: 'ændring (før → efter)', wrapMin: 24 },
      { header: 'kilde', wrapMin: 14, breakAt: /(?<=[,/ ])/ },
    ];
    // notes, names and sources are what people typed: made inert before they reach a terminal
    const cells = trail.map((t) => [t.changed_at, t.case_ref, t.rule, t.municipality, t.key_id, t.who, describeChange(t), t.source]
      .map((c) => inert(maskText(c) ?? '')));
    out.push(textTable(columns, cells, { lang: 'da', ...opts }));
  }
  out.push('\neksporter med hele CPR-numre (afstem export --unmask)\n');
  if (unmask.length === 0) out.push('ingen\n');
  else {
    const columns: TextColumn[] = [
      { header: 'hvornår (UTC)' },
      { header: 'hvem', wrapMin: 8 },
      { header: 'rækker', align: 'right' },
      { header: 'format', drop: 1 },
      { header: 'filter', wrapMin: 16, breakAt: /(?<=,)/ },
      { header: 'fil', wrapMin: 20, breakAt: /(?<=\/)/ },
    ];
    const cells = unmask.map((u) => [u.unmasked_at, u.who, String(u.row_count), u.format, u.filter_json, u.out_file]
      .map((c) => inert(maskText(c) ?? '')));
    out.push(textTable(columns, cells, { lang: 'da', ...opts }));
  }
  return out.join('');
}

export function parseAuditFilter(v: { from?: string; to?: string; municipality?: string[] }): AuditFilter {
  const bad = (msg: string) => usageError(msg, AUDIT_USAGE);
  for (const [k, d] of [['from', v.from], ['to', v.to]] as const) {
    if (d !== undefined && !isDate(d)) throw bad(`--${k} ${d}: expected a date YYYY-MM-DD`);
  }
  if (v.from && v.to && v.from > v.to) throw bad(`--from ${v.from} is after --to ${v.to}`);
  const municipalities = listOption(v.municipality);
  for (const m of municipalities) if (!/^\d{3}$/.test(m)) throw bad(`--municipality ${m}: expected a three-digit municipality code such as 101`);
  const f: AuditFilter = {};
  if (v.from) f.from = v.from;
  if (v.to) f.to = v.to;
  if (municipalities.length) f.municipalities = [...new Set(municipalities)].sort();
  return f;
}

export async function auditCommand(argv: string[]): Promise<number> {
  return runCommand(async () => {
    const v = parseOptions(argv, OPTIONS, AUDIT_USAGE, AUDIT_HELP);
    const config = requireConfig(v.config, AUDIT_USAGE);
    const filter = parseAuditFilter(v);
    const db = await openForReading(config);
    try {
      const text = formatAudit(await readTrail(db, filter), await readUnmaskLog(db, filter), { wide: v.wide, width: outputWidth() });
      process.stdout.write(maskText(text) ?? '');
    } finally {
      db.close();
    }
    return 0;
  });
}
