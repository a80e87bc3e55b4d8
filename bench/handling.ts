// Bench of the case handling (FORMATS.md §8) at 40,000 open discrepancies: the import of a sheet of 40,000 rows with
// 5,000 changes (applyHandling, set-based), the run's handling join (discrepancy_states with the handling columns,
// against the same table built without them), and the closing of 5,000 handled discrepancies that resolve.
//   node --import tsx bench/handling.ts [open=40000] [changes=5000]
// Prints one JSON line with the times in ms.
import { openDatabase } from '../src/schema/migrate.ts';
import { evaluateStates, recordStates } from '../src/handling/lifecycle.ts';
import { applyHandling, HANDLING_STATUSES, type HandlingRequest } from '../src/handling/store.ts';
import { handlingColumnsSql } from '../src/handling/lifecycle.ts';

const open = Number(process.argv[2] ?? 40_000);
const changes = Number(process.argv[3] ?? 5_000);
const db = await openDatabase(':memory:');
const time = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
  const t0 = performance.now();
  const r = await fn();
  return [r, performance.now() - t0];
};

async function discrepancies(n: number, from = 0): Promise<void> {
  await db.run(`CREATE OR REPLACE TABLE discrepancies AS
    SELECT 'R01' AS rule, 'critical' AS severity, ['101', '561', '621'][i % 3 + 1] AS municipality, 'F' || i AS key_id,
           'F' || i AS fee_id, NULL::VARCHAR AS claim_id, NULL::VARCHAR AS payment_id, NULL::VARCHAR AS psp_txn_id,
           NULL::VARCHAR AS coverage_id, (100 + i % 7)::DECIMAL(38,2) AS amount, 'Gebyr F' || i || ' er ikke overført' AS detail,
           'x.csv:' || i AS lineage, TIMESTAMP '2026-11-01 08:00:00' AS arose_at, (i % 40)::INTEGER AS age_banking_days
    FROM range(${from}, ${n}) t(i)`);
}

async function night(runSeq: number, asOf: string): Promise<number> {
  const [, ms] = await time(async () => {
    await evaluateStates(db, runSeq, new Date(asOf));
    await db.run('BEGIN TRANSACTION');
    await recordStates(db, runSeq, new Date(asOf), `bench-${runSeq}`);
    await db.run('COMMIT');
  });
  return ms;
}

await discrepancies(open);
await night(1, '2026-11-26T05:00:00Z');

// every discrepancy handled once (so the join and the equality check meet a full handling table)
const status = (i: number) => HANDLING_STATUSES[1 + (i % 3)];
const request = (i: number, changed: boolean): HandlingRequest => {
  const s = changed ? (status(i) === 'explained' ? 'in_progress' : 'explained') : status(i);
  return {
    edit: { caseRef: `S-${i + 1}`, status: s, assignee: `Sagsbehandler ${i % 17}`, note: s === 'explained' || s === 'awaiting' ? `note ${i}${changed ? ' (rettet)' : ''}` : null, followUp: s === 'awaiting' ? '2026-12-15' : null },
    by: 'bench',
    source: `handling/101/uge48.xlsx, række ${i + 2}`,
    handledAt: '2026-11-26T06:00:00Z',
  };
};
const [first, firstMs] = await time(() => applyHandling(db, Array.from({ length: open }, (_x, i) => request(i, false)), { now: new Date('2026-11-26T06:00:00Z') }));
// the sheet read back: 40,000 rows, `changes` of them changed
const [sheet, sheetMs] = await time(() => applyHandling(db, Array.from({ length: open }, (_x, i) => request(i, i % Math.floor(open / changes) === 0)), { now: new Date('2026-11-26T07:00:00Z') }));

// the run's handling join: discrepancy_states with the handling columns, and the same rows without them
const nightMs = await night(2, '2026-11-27T05:00:00Z');
const asOf = new Date('2026-11-27T05:00:00Z');
const [, withJoin] = await time(() => db.run(`CREATE OR REPLACE TEMP TABLE bench_states AS
  SELECT r.*, ${handlingColumnsSql('r', 'h', asOf)} FROM run_history r
  LEFT JOIN main.handling h ON h.municipality = r.municipality AND h.rule = r.rule AND h.key_id = r.key_id
  ORDER BY r.rule, r.municipality, r.key_id`));
const [, withoutJoin] = await time(() => db.run(`CREATE OR REPLACE TEMP TABLE bench_states AS
  SELECT r.*, 'open' AS handling_status FROM run_history r ORDER BY r.rule, r.municipality, r.key_id`));

// the first `changes` discrepancies resolve: their handling is closed by trail rows
await discrepancies(open, changes);
const closeMs = await night(3, '2026-11-28T05:00:00Z');
const closed = Number(await db.value(`SELECT count(*) FROM handling_trail WHERE who = 'afstem'`));

console.log(JSON.stringify({
  open,
  firstImport: { ms: Math.round(firstMs), applied: first.applied },
  sheetImport: { rows: open, ms: Math.round(sheetMs), applied: sheet.applied, unchanged: sheet.unchanged, refused: sheet.refused.length, conflicts: sheet.conflicts.length },
  handlingJoin: { msWith: Math.round(withJoin), msWithout: Math.round(withoutJoin), costMs: Math.round(withJoin - withoutJoin) },
  nightMs: Math.round(nightMs),
  closeNight: { ms: Math.round(closeMs), closed },
}));
db.close();
