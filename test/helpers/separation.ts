// Separation checked by content (FORMATS.md §7 municipalities/<code>/: nothing of another municipality, not even
// counts). Two ways, on real batch runs:
// - by difference: every municipality's folder of the joint run (all municipalities configured and delivering) must be
//   the folder that municipality gets from a run of its own data alone, configured alone. Whatever of another
//   municipality leaks in (a count "Viser 1 af 3 rækker", a money total, a suggested match pairing its item with
//   another municipality's, a row, a name) makes the two differ. The run facts are set aside first: the run id, and
//   the case numbers, which the database assigns over all municipalities (the solo installation is given the joint
//   run's case numbers before its first run, so the same discrepancy has the same S-number in both).
// - by the other municipality's facts: its name, its code as a path, and its ids that the municipality itself has
//   nowhere in its books, read from the joint run's own files, never found in the municipality's folder.
import fs from 'node:fs';
import path from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import { Db, lit } from '../../src/db.ts';
import { openDatabase } from '../../src/schema/migrate.ts';
import { installation, type Installation, type Municipality } from './e2e-inbox.ts';
import { filesUnder, htmlTexts, jsonStrings } from './no-cpr.ts';
import { csvRows } from './csv.ts';

export interface SeparationPlan {
  prefix: string;
  municipalities: Municipality[];
  /** Writes the inbox exports of the given municipalities. */
  write(inst: Installation, codes: ReadonlySet<string>): void;
  /** The nights, in order; `before` runs before that night's batch (handling recorded on the night before's cases). */
  nights: { asOf: string; before?: (inst: Installation, codes: ReadonlySet<string>) => Promise<void> }[];
}

export interface SeparationRuns {
  joint: Installation;
  solo: Map<string, Installation>;
  /** The run folder of a night (0-based) of an installation. */
  out(inst: Installation, night: number): string;
  cleanup(): void;
}

const RUN_ID = /\b\d{8}T\d{6}Z-[0-9a-f]{4}\b/g;

/** Runs the joint installation's nights, then each municipality's own (with the joint run's case numbers). */
export async function separationRuns(plan: SeparationPlan): Promise<SeparationRuns> {
  const out = (_inst: Installation, night: number) => `out-${night + 1}`;
  const all = new Set(plan.municipalities.map((m) => m.code));
  const nights = async (inst: Installation, codes: ReadonlySet<string>) => {
    for (const [i, n] of plan.nights.entries()) {
      await n.before?.(inst, codes);
      const r = await inst.run(out(inst, i), n.asOf);
      if (r.error || ![0, 3].includes(r.exitCode)) throw new Error(`night ${i + 1} of ${path.basename(inst.dir)}: exit ${r.exitCode} ${r.error ?? ''}\n${r.log}`);
    }
  };
  const joint = installation(`${plan.prefix}-joint`, plan.municipalities);
  plan.write(joint, all);
  await nights(joint, all);
  const db = await Db.open(joint.database, { readOnly: true });
  let refs: Record<string, unknown>[];
  try {
    refs = await db.all(`SELECT case_no, municipality, rule, key_id, first_assigned_at::VARCHAR AS a, first_as_of::VARCHAR AS f FROM case_refs`);
  } finally {
    db.close();
  }
  const solo = new Map<string, Installation>();
  for (const m of plan.municipalities) {
    const inst = installation(`${plan.prefix}-${m.code}`, [m]);
    solo.set(m.code, inst);
    fs.mkdirSync(path.dirname(inst.database), { recursive: true });
    const own = await openDatabase(inst.database); // the schema (case_refs among it) as a run would make it
    try {
      for (const r of refs.filter((x) => x.municipality === m.code)) {
        await own.run(`INSERT INTO case_refs VALUES (${Number(r.case_no)}, ${lit(String(r.municipality))}, ${lit(String(r.rule))},
          ${lit(String(r.key_id))}, TIMESTAMP ${lit(String(r.a))}, TIMESTAMP ${lit(String(r.f))})`);
      }
    } finally {
      own.close();
    }
    plan.write(inst, new Set([m.code]));
    await nights(inst, new Set([m.code]));
  }
  return {
    joint,
    solo,
    out: (inst, night) => path.join(inst.dir, out(inst, night)),
    cleanup() {
      joint.cleanup();
      for (const s of solo.values()) s.cleanup();
    },
  };
}

/**
 * A folder's files as comparable text, run ids set aside: text files as they are, each zip member (xlsx) as its own
 * entry `file!member`.
 */
export function folderContent(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const rel of filesUnder(dir)) {
    const bytes = fs.readFileSync(path.join(dir, rel));
    if (/\.xlsx$/i.test(rel)) {
      for (const [name, member] of Object.entries(unzipSync(bytes))) out.set(`${rel}!${name}`, strFromU8(member).replace(RUN_ID, '<run>'));
    } else out.set(rel, bytes.toString('utf8').replace(RUN_ID, '<run>'));
  }
  return out;
}

/** Where two folders' content differs: the entry and the first lines that differ (empty when equal). */
export function differences(a: Map<string, string>, b: Map<string, string>): string[] {
  const out: string[] = [];
  for (const k of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const x = a.get(k);
    const y = b.get(k);
    if (x === y) continue;
    if (x === undefined || y === undefined) {
      out.push(`${k}: only in the ${x === undefined ? 'solo' : 'joint'} run`);
      continue;
    }
    const xs = x.split(/(?<=[\n>])/);
    const ys = y.split(/(?<=[\n>])/);
    let i = 0;
    while (i < xs.length && xs[i] === ys[i]) i++;
    out.push(`${k}: joint «${xs.slice(i, i + 3).join('').slice(0, 300)}» solo «${ys.slice(i, i + 3).join('').slice(0, 300)}»`);
  }
  return out;
}

/** Every string a folder's files say (the report decoded as a reader and its scripts see it), for fact searches. */
export function folderTexts(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of folderContent(dir)) {
    if (k.endsWith('.html')) out.set(k, htmlTexts(v).join('\n'));
    else if (k.endsWith('.json')) out.set(k, jsonStrings(JSON.parse(v)).join('\n'));
    else out.set(k, v.replace(/>([^<]*)</g, '>\n$1\n<'));
  }
  return out;
}

/** What the joint run's own files say about one municipality: its ids (every id column), from its csv files. */
export function idsOf(runDir: string, code: string): Set<string> {
  const ids = new Set<string>();
  const add = (v: string | undefined) => {
    for (const x of (v ?? '').split(' ')) if (x) ids.add(x.replace(/^'/, ''));
  };
  for (const f of ['discrepancies.csv', 'suggestions.csv', 'reversals.csv']) {
    for (const r of csvRows(fs.readFileSync(path.join(runDir, f), 'utf8'))) {
      if (r.municipality !== code) continue;
      for (const k of ['fee_id', 'claim_id', 'payment_id', 'psp_txn_id', 'coverage_id', 'left_id', 'right_id', 'coverage_ids', 'payment_ids']) add(r[k]);
    }
  }
  return ids;
}
