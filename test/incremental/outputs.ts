// A run's output folder as text to compare with another run's: every file under it by its relative path (the
// municipalities' folders included), each xlsx as its zip members (`discrepancies.xlsx!xl/worksheets/sheet1.xml`, and
// `discrepancies.xlsx!` listing the members in zip order), normalised in exactly these places and nowhere else:
//   - every run id (20261206T211636Z-d007, different for two runs however alike) becomes `<run N>`, N the night
//     whose run it was (summary.json, the log, the report's "kørsel …" and wherever else one shows, such as the run
//     that closed a handling in a trail);
//   - summary.json's "startedAt" and "finishedAt" become "<wall clock>": when the run ran, not what it found;
//   - the log's "time" of each line becomes "<wall clock>" and every "ms" (a step's or part's duration) "<ms>";
//   - the log's one line on how the night was evaluated ("evaluated everything (--full)" or "evaluated 412 items of
//     1630 rows …", with its "evaluation" object) becomes "<evaluation>": what differs between the two ways by design.
// Nothing else: both runs of a night live in the same folder when they run (the test moves each installation into
// place), so every path they write is the same, and the handling commands run at the same instants on both.
import fs from 'node:fs';
import path from 'node:path';
import { unzipSync } from 'fflate';

/** Relative path (or `xlsx!member`) → normalised text. */
export type Outputs = Map<string, string>;

function walk(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...walk(dir, r));
    else out.push(r);
  }
  return out.sort();
}

/** Every run id of `runIds` (run id → night) in `text` as `<run N>`. */
function withRunIds(text: string, runIds: Map<string, number>): string {
  return text.replace(/\d{8}T\d{6}Z-[0-9a-f]{4}/g, (id) => (runIds.has(id) ? `<run ${runIds.get(id)}>` : id));
}

export function normalise(rel: string, text: string, runIds: Map<string, number>): string {
  let t = withRunIds(text, runIds);
  if (rel === 'summary.json') t = t.replace(/("(?:startedAt|finishedAt)": )"[^"]*"/g, '$1"<wall clock>"');
  if (rel === 'afstem.log.jsonl') {
    t = t.replace(/^\{"time":"[^"]*"/gm, '{"time":"<wall clock>"').replace(/"ms":\d+(\.\d+)?/g, '"ms":"<ms>"');
    t = t.replace(/"msg":"evaluated [^"]*","evaluation":\{[^}]*\}/g, '"msg":"<evaluation>"');
  }
  return t;
}

/** The output folder's files, normalised (see the top of this file). */
export function readOutputs(outDir: string, runIds: Map<string, number>): Outputs {
  const out: Outputs = new Map();
  for (const rel of walk(outDir)) {
    const bytes = fs.readFileSync(path.join(outDir, rel));
    if (rel.endsWith('.xlsx')) {
      const members = unzipSync(new Uint8Array(bytes));
      out.set(`${rel}!`, Object.keys(members).join('\n'));
      for (const [name, data] of Object.entries(members)) out.set(`${rel}!${name}`, normalise(rel, Buffer.from(data).toString('utf8'), runIds));
    } else {
      out.set(rel, normalise(rel, bytes.toString('utf8'), runIds));
    }
  }
  return out;
}

const clip = (s: string, from: number) => {
  const start = Math.max(0, from - 60);
  return `${start > 0 ? '…' : ''}${s.slice(start, from + 100)}${from + 100 < s.length ? '…' : ''}`;
};

/** Where two texts first differ: line number and the two lines around the first differing character. */
export function firstDifference(a: string, b: string): string {
  const la = a.split('\n');
  const lb = b.split('\n');
  for (let i = 0; i < Math.max(la.length, lb.length); i++) {
    const x = la[i];
    const y = lb[i];
    if (x === y) continue;
    if (x === undefined) return `line ${i + 1}: default has no line; --full: ${JSON.stringify(clip(y!, 0))}`;
    if (y === undefined) return `line ${i + 1}: default: ${JSON.stringify(clip(x, 0))}; --full has no line`;
    let c = 0;
    while (c < x.length && x[c] === y[c]) c++;
    return `line ${i + 1}, column ${c + 1}:\n      default: ${JSON.stringify(clip(x, c))}\n      --full:  ${JSON.stringify(clip(y, c))}`;
  }
  return 'the texts differ only in their bytes';
}

/** Every difference of two output folders, one readable line (or three) each; [] when they are alike. */
export function compareOutputs(night: string, a: Outputs, b: Outputs): string[] {
  const diffs: string[] = [];
  for (const rel of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const x = a.get(rel);
    const y = b.get(rel);
    if (x === y) continue;
    if (x === undefined) diffs.push(`${night}: ${rel} is written by --full only`);
    else if (y === undefined) diffs.push(`${night}: ${rel} is written by the default path only`);
    else diffs.push(`${night}: ${rel} differs at ${firstDifference(x, y)}`);
  }
  return diffs;
}
