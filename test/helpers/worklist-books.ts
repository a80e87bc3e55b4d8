// Discrepancies planted directly into discrepancy_states (no inbox, no rules): a hand-made handful for the
// worklist's grouping and order, and tens of thousands for its volume. Three configured municipalities.
import { Db } from '../../src/db.ts';

export const WORKLIST_MUNICIPALITIES: [string, string][] = [
  ['101', 'København'],
  ['561', 'Esbjerg'],
  ['621', 'Kolding'],
];

export interface Planted {
  rule: string;
  severity: 'critical' | 'warning' | 'info';
  municipality: string;
  key: string;
  amount: string | null;
  age: number;
  state?: 'new' | 'persisting' | 'resolved';
  detail?: string;
}

export async function worklistDb(): Promise<Db> {
  const db = await Db.open(':memory:');
  await db.exec(`
    CREATE TABLE cfg_municipalities (code VARCHAR, name VARCHAR);
    INSERT INTO cfg_municipalities VALUES ${WORKLIST_MUNICIPALITIES.map(([c, n]) => `('${c}', '${n}')`).join(', ')};
    CREATE TABLE discrepancy_states (rule VARCHAR, severity VARCHAR, municipality VARCHAR, key_id VARCHAR, fee_id VARCHAR,
      claim_id VARCHAR, payment_id VARCHAR, psp_txn_id VARCHAR, coverage_id VARCHAR, amount DECIMAL(38,2), detail VARCHAR,
      lineage VARCHAR, arose_at TIMESTAMP, age_banking_days INTEGER, first_seen TIMESTAMP, state VARCHAR,
      resolved_at TIMESTAMP, handling_status VARCHAR, case_ref VARCHAR, assignee VARCHAR, note VARCHAR, follow_up DATE,
      handled_by VARCHAR, handled_at TIMESTAMP, handling_due BOOLEAN DEFAULT false);`);
  return db;
}

const q = (s: string | null) => (s === null ? 'NULL' : `'${s.replace(/'/g, "''")}'`);

export async function plant(db: Db, rows: Planted[]): Promise<void> {
  const values = rows.map(
    (r, i) =>
      `(${q(r.rule)}, ${q(r.severity)}, ${q(r.municipality)}, ${q(r.key)}, ${q(r.key)}, ${r.amount === null ? 'NULL' : r.amount}, ` +
      `${q(r.detail ?? `Gebyr ${r.key}`)}, TIMESTAMP '2026-06-01 08:00:00', ${r.age}, TIMESTAMP '2026-06-05 10:00:00', ` +
      `${q(r.state ?? 'persisting')}, 'open', 'S-${i + 1}')`,
  );
  await db.exec(`INSERT INTO discrepancy_states (rule, severity, municipality, key_id, fee_id, amount, detail, arose_at,
    age_banking_days, first_seen, state, handling_status, case_ref) VALUES ${values.join(',\n')}`);
}

/**
 * n open discrepancies, all on the worklist: row i has rule ['R01', 'R03', 'R02'][i mod 3] (critical, critical,
 * warning), municipality ['101', '561', '621'][(i div 3) mod 3], age i mod 40 banking days, amount 100 + (i mod 7)
 * kroner, fee id `F<i>`, case S-<i+1>. So each (rule, municipality) group is the rows with one i mod 9, and holds an
 * age of 39 (9 and 40 are coprime).
 */
export async function plantMany(db: Db, n: number): Promise<void> {
  await db.exec(`INSERT INTO discrepancy_states (rule, severity, municipality, key_id, fee_id, amount, detail, arose_at,
      age_banking_days, first_seen, state, handling_status, case_ref)
    SELECT ['R01', 'R03', 'R02'][i % 3 + 1], ['critical', 'critical', 'warning'][i % 3 + 1],
           ['101', '561', '621'][(i // 3) % 3 + 1], 'F' || i, 'F' || i, (100 + i % 7)::DECIMAL(38,2),
           'Gebyr F' || i || ' på ' || (100 + i % 7) || ',00 kr. er ikke overført til debitorsystemet inden for fristen',
           TIMESTAMP '2026-04-01 08:00:00', (i % 40)::INTEGER, TIMESTAMP '2026-06-05 10:00:00', 'persisting', 'open',
           'S-' || (i + 1)
    FROM range(${n}) t(i)`);
}
