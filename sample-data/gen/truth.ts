// The configuration and the ground truth (expected.json), checked against verify.ts.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluate } from '../verify.ts';
import { KIND_BY_NAME } from './contract.ts';
import { ASOF, amt, hoursApart } from './time.ts';
import type { Context } from './context.ts';
import { IGNORED_FILES } from './inbox-files.ts';

/** The sample-data folder (the committed inbox's configuration points at ../data/). */
const SAMPLE_DATA_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** afstem.config.json: the municipalities, the default SLAs and the pinned dialect. */
export function writeConfig(cx: Context): void {
  const { small, outDir, inbox, munis } = cx;
  const config = {
    inbox: 'inbox',
    database: small && path.resolve(outDir) === SAMPLE_DATA_DIR ? '../data/afstem.duckdb' : 'afstem.duckdb',
    ignore: IGNORED_FILES,
    municipalities: munis.map((m) => ({
      code: m.code,
      name: m.name,
      debtorSystem: m.debtorSystem,
      ...(m.code === '621' ? { paymentSolution: 'prisme_min_betalingsoversigt' } : {}),
      wave: m.wave,
      goLive: m.goLive,
      borgerblikket: m.borgerblikket,
    })),
    sla: {
      fee_to_claim: { hours: 1 },
      claim_to_payable: { businessDays: 1 },
      psp_to_debitor: { businessDays: 1 },
      debitor_to_fbs: { businessDays: 2 },
    },
    dialects: {
      '561/debitor_payments': { encoding: 'windows-1252', delimiter: ';', decimal: ',', dates: 'dmy' },
    },
  };
  fs.writeFileSync(path.join(outDir, 'afstem.config.json'), JSON.stringify(config, null, 2) + '\n');
}

/** expected.json, the size of the inbox, and the independent check of the truth (verify.ts) at ASOF and at the latest creation. */
export function writeTruth(cx: Context, listed: { unknownFiles: string[]; fileList: unknown[] }) {
  const { small, seed, outDir, inbox, munis, CUTOFF, redo, verify, model, rules, reversals, rejects, negativeDurations, dstAmbiguous, suggestions } = cx;
  for (const k of Object.keys(rules)) rules[k].sort((a, b) => (a.municipality + a.key < b.municipality + b.key ? -1 : 1));
  reversals.sort((a, b) => (a.municipality + a.claim_id < b.municipality + b.claim_id ? -1 : 1));
  rejects.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
  // as suggestions.csv: by municipality, kind, left id, rank
  const order = (x: { municipality: string; kind: string; left_id: string }) => `${x.municipality} ${x.kind} ${x.left_id}`;
  suggestions.sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : a.rank - b.rank));
  // The truth holds at ASOF and also at the default asOf (the latest creation instant in the data).
  let latestCreation = 0;
  if (verify)
    for (const byKind of model.values())
      for (const [kind, byKey] of byKind) {
        const col = KIND_BY_NAME.get(kind)!.columns.find((c) => c.creation)?.name;
        if (col) for (const r of byKey.values()) latestCreation = Math.max(latestCreation, (r[col] as number | null) ?? 0);
      }
  const expected = {
    seed,
    mode: small ? 'small' : 'large',
    asOf: ASOF,
    lastExport: new Date(CUTOFF).toISOString().replace('.000Z', 'Z'),
    latestCreation: verify ? new Date(latestCreation).toISOString().replace('.000Z', 'Z') : null,
    note: 'Per rule, the discrepancies open at asOf ({municipality, key, amount}); background data breaks no rule.',
    rules,
    reversals,
    suggestions,
    rejects,
    unknownFiles: listed.unknownFiles,
    files: listed.fileList,
    negativeDurations,
    dstAmbiguous,
    redelivery: redo.info,
  };
  fs.writeFileSync(path.join(outDir, 'expected.json'), JSON.stringify(expected, null, 2) + '\n');
  let files = 0;
  let bytes = 0;
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else {
        files++;
        bytes += fs.statSync(p).size;
      }
    }
  };
  walk(inbox);
  const mismatches: string[] = [];
  for (const asOf of verify ? [Date.parse(ASOF), latestCreation] : []) {
    const got = evaluate(model, munis.map((m) => ({ code: m.code, debtorSystem: m.debtorSystem, psp: m.psp, goLive: m.goLive })), asOf);
    const want = new Set<string>();
    for (const [rule, list] of Object.entries(rules)) for (const e of list) want.add(`${rule} ${e.municipality} ${e.key} ${e.amount}`);
    const have = new Set(got.findings.map((f) => `${f.rule} ${f.municipality} ${f.key} ${amt(f.amount)}`));
    const when = new Date(asOf).toISOString();
    for (const x of have) if (!want.has(x)) mismatches.push(`${when}: not in expected.json: ${x}`);
    for (const x of want) if (!have.has(x)) mismatches.push(`${when}: expected but not found: ${x}`);
    const wantRev = new Set(reversals.map((r) => `${r.municipality} ${r.claim_id} ${r.coverage_ids.join(' ')} ${r.reverse_amount} ${r.reapply_amount}`));
    const haveRev = new Set(got.reversals.map((r) => `${r.municipality} ${r.claim_id} ${r.coverage_ids.join(' ')} ${amt(r.reverse_amount)} ${amt(r.reapply_amount)}`));
    for (const x of haveRev) if (!wantRev.has(x)) mismatches.push(`${when}: reversal not in expected.json: ${x}`);
    for (const x of wantRev) if (!haveRev.has(x)) mismatches.push(`${when}: reversal expected but not found: ${x}`);
    const wantSug = new Set(suggestions.map((x) => `${x.municipality} ${x.kind} ${x.left_id} ${x.right_id} ${x.amount} ${x.hours_apart} ${x.rank}`));
    const haveSug = new Set(got.suggestions.map((x) => `${x.municipality} ${x.kind} ${x.left_id} ${x.right_id} ${amt(x.amount)} ${hoursApart(x.apart)} ${x.rank}`));
    for (const x of haveSug) if (!wantSug.has(x)) mismatches.push(`${when}: suggestion not in expected.json: ${x}`);
    for (const x of wantSug) if (!haveSug.has(x)) mismatches.push(`${when}: suggestion expected but not found: ${x}`);
  }
  return { files, bytes, mismatches };
}
