// The go-live waves view (RULES.md §8) on hand-made data: red, amber, green and planned with their reasons in Danish,
// red by the age of a critical discrepancy since it arose (age_banking_days, RULES.md §5), waves.csv from a run and
// `afstem waves` read-only.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Db } from '../src/db.ts';
import { openDatabase } from '../src/schema/migrate.ts';
import { parseConfig } from '../src/config.ts';
import { prepareContext } from '../src/pipeline/context.ts';
import { readWaves, wavesCommand } from '../src/commands/waves.ts';
import { writeWaves, type WaveRow } from '../src/outputs/waves.ts';
import { buildWaves } from '../src/pipeline/waves.ts';
import { materialise } from '../src/pipeline/models.ts';
import { persistWaves } from '../src/pipeline/lifecycle.ts';
import { DISCREPANCY_STATES_DDL, capture, tempDir } from './helpers/command-fixture.ts';

const MUNICIPALITIES = [
  { code: '101', name: 'København', debtorSystem: 'kmd_opus', wave: 1, goLive: '2026-04-14' },
  { code: '561', name: 'Esbjerg', debtorSystem: 'prisme_2015', wave: 2, goLive: '2026-06-01' },
  { code: '621', name: 'Kolding', debtorSystem: 'eg_os_indsigt', wave: 3, goLive: '2026-09-01' },
  { code: '751', name: 'Aarhus', debtorSystem: 'kmd_opus', wave: 3, goLive: '2026-09-01' },
  { code: '461', name: 'Odense', debtorSystem: 'prisme_2009', wave: 4, goLive: '2027-01-04' },
];
const AS_OF = '2026-11-27T05:00:00Z'; // Friday 06:00 in Copenhagen

/** The tables the waves view reads, hand-made with only the columns it uses. */
const DATA = `
CREATE TABLE int_fees AS
  -- 101: 20 fees in scope past their deadline (1 h), 18 with a claim; 2 more within their deadline and 2 cancelled
  -- ones (one with a claim) do not count; one fee before go-live
  SELECT '101' AS municipality, true AS in_scope, TIMESTAMP '2026-11-27 05:00:00' - to_days(i::INTEGER) AS created_at,
         'open' AS status, CASE WHEN i <= 18 THEN 'C' || i END AS claim_id FROM range(1, 21) t(i)
  UNION ALL SELECT '101', true, TIMESTAMP '2026-11-27 04:30:00', 'open', NULL FROM range(2)
  UNION ALL SELECT '101', true, TIMESTAMP '2026-10-28 05:00:00', 'cancelled', NULL
  UNION ALL SELECT '101', true, TIMESTAMP '2026-10-28 05:00:00', 'cancelled', 'CX'
  UNION ALL SELECT '101', false, TIMESTAMP '2026-11-26 05:00:00', 'open', NULL
  UNION ALL SELECT '561', true, TIMESTAMP '2026-10-01 00:00:00' + to_minutes(i), 'open', CASE WHEN i < 96 THEN 'C' || i END FROM range(0, 100) t(i)
  UNION ALL SELECT '751', true, TIMESTAMP '2026-09-01 07:00:00' + to_days(i::INTEGER), 'paid', 'C' || i FROM range(0, 19) t(i)
  UNION ALL SELECT '621', false, TIMESTAMP '2026-11-20 07:00:00', 'open', NULL;
CREATE TABLE int_claims (municipality VARCHAR, received_at TIMESTAMP);
INSERT INTO int_claims VALUES ('101', '2026-03-01 08:00:00'), ('101', '2026-04-15 08:00:00'), ('101', '2026-11-26 08:00:00'),
  ('561', '2026-10-01 01:00:00');
CREATE TABLE latency (municipality VARCHAR, stage VARCHAR, n BIGINT, p50_hours DECIMAL(18,2), p90_hours DECIMAL(18,2),
  p99_hours DECIMAL(18,2), max_hours DECIMAL(18,2), within_sla BIGINT, breached BIGINT, in_flight BIGINT);
INSERT INTO latency VALUES
  ('101', 'fee_to_claim', 18, 0.20, 0.75, 0.90, 0.95, 18, 2, 2),
  ('101', 'claim_to_payable', 0, NULL, NULL, NULL, NULL, 0, 1, 0),
  ('561', 'fee_to_claim', 40, 0.40, 1.50, 2.00, 2.10, 35, 9, 0),
  ('561', 'psp_to_debitor', 12, 3.00, 20.25, 22.00, 23.00, 12, 0, 0),
  ('751', 'fee_to_claim', 10, 0.30, 0.90, 1.10, 1.20, 9, 1, 0),
  ('751', 'debitor_to_fbs', 5, 30.00, 47.50, 48.00, 48.00, 5, 0, 0),
  ('ALL', 'fee_to_claim', 68, 0.30, 1.00, 2.00, 2.10, 62, 12, 2);
${DISCREPANCY_STATES_DDL};
INSERT INTO discrepancy_states (rule, severity, municipality, key_id, first_seen, state, resolved_at, age_banking_days) VALUES
  ('R01', 'critical', '101', 'F1', '2026-11-27 05:00:00', 'new', NULL, 3),         -- first seen tonight, arose 3 banking days ago
  ('R02', 'warning',  '101', 'C9', '2026-11-26 05:00:00', 'new', NULL, 0),
  ('R10', 'critical', '561', 'T1', '2026-10-25 05:00:00', 'persisting', NULL, 2),  -- seen for a month, arose 2 days ago: not yet
  ('R06', 'warning',  '561', 'C1', '2026-11-20 05:00:00', 'persisting', NULL, 5),
  ('R09', 'warning',  '561', 'C2', '2026-11-27 05:00:00', 'new', NULL, 0),
  ('R16', 'critical', '751', 'C7', '2026-10-01 05:00:00', 'resolved', '2026-11-26 05:00:00', 40),
  ('R20', 'warning',  '751', 'F8', '2026-10-01 05:00:00', 'resolved', '2026-11-27 05:00:00', 40);
CREATE TABLE cur_klik_tasks (municipality VARCHAR, task_id VARCHAR, title VARCHAR, status VARCHAR, completed_at TIMESTAMP);
INSERT INTO cur_klik_tasks VALUES
  ('751', 'GB1.0', 'Abonnement', 'done', '2026-10-01 08:00:00'), ('751', 'GB6', 'Mit Overblik', 'done', NULL),
  ('751', 'GB7', 'Test', 'open', NULL), ('751', 'GB8', 'Senere', 'done', '2026-12-01 08:00:00');
-- the delivery registry (src/schema/migrations.ts), as far as delivery_status reads it (RULES.md §7, asOf's date Friday
-- 27 November): 101's payments stopped after Monday 23rd (24, 25, 26, 27: 4 banking days > 2, overdue); 561's last
-- on Wednesday 25th (26, 27: 2 banking days, not more than 2); 101's adjustments are old but not a watched kind
CREATE OR REPLACE TABLE deliveries (delivery_id INTEGER, path VARCHAR, municipality VARCHAR, kind VARCHAR, export_date DATE, active BOOLEAN);
INSERT INTO deliveries VALUES
  (1, 'p1', '101', 'debitor_payments', '2026-11-20', true), (2, 'p2', '101', 'debitor_payments', '2026-11-23', true),
  (3, 'p3', '101', 'fbs_fees', '2026-11-27', true), (4, 'p4', '101', 'fbs_adjustments', '2026-10-01', true),
  (5, 'p5', '561', 'debitor_payments', '2026-11-25', true), (6, 'p6', '561', 'fbs_fees', '2026-11-26', false),
  (7, 'p7', '561', 'fbs_fees', '2026-11-27', true), (8, 'p8', '751', 'fbs_fees', '2026-11-27', true);
CREATE OR REPLACE TABLE lifecycle_runs (run_seq INTEGER, as_of TIMESTAMP);
INSERT INTO lifecycle_runs VALUES (1, '2026-11-20 05:00:00'), (2, '2026-11-27 05:00:00');
`;

let dir: string;
let configPath: string;
let database: string;
let config: ReturnType<typeof parseConfig>;

beforeAll(async () => {
  dir = tempDir('waves');
  configPath = path.join(dir, 'afstem.config.json');
  fs.writeFileSync(configPath, JSON.stringify({ inbox: 'inbox', database: 'db.duckdb', municipalities: MUNICIPALITIES }));
  database = path.join(dir, 'db.duckdb');
  config = parseConfig(JSON.parse(fs.readFileSync(configPath, 'utf8')), configPath);
  const db = await openDatabase(database);
  try {
    await prepareContext(db, config, new Date(AS_OF));
    await db.exec(DATA);
  } finally {
    db.close();
  }
});

const pick = (rows: WaveRow[], code: string) => rows.find((r) => r.municipality === code)!;

describe('waves', () => {
  let rows: WaveRow[];
  beforeAll(async () => {
    const db = await Db.open(database);
    try {
      await prepareContext(db, config, new Date(AS_OF));
      await materialise(db, 'marts/delivery_status.sql'); // built by the run step before waves (suggestions)
      await buildWaves(db);
      const file = await writeWaves(db, path.join(dir, 'out'));
      await persistWaves(db); // as a recorded run does, for `afstem waves` below
      expect(file).toBe(path.join(dir, 'out', 'waves.csv'));
      rows = await db.all<WaveRow>(`SELECT * EXCLUDE (go_live, first_fee_in_scope, first_claim_received, reached_pct), CAST(reached_pct AS VARCHAR) AS reached_pct FROM waves`);
    } finally {
      db.close();
    }
  });

  it('orders by wave then municipality', () => {
    expect(rows.map((r) => `${r.wave}/${r.municipality}`)).toEqual(['1/101', '2/561', '3/621', '3/751', '4/461']);
  });

  it('red: a critical discrepancy that arose over 2 banking days ago (first seen tonight), under 95 % of due fees with a claim, an overdue delivery', () => {
    const r = pick(rows, '101');
    expect(r.status).toBe('red');
    expect(r.reason).toBe(
      '1 kritisk afvigelse opstod for mere end 2 bankdage siden; ' +
        'kun 90,0 % af de ikke-annullerede gebyrer fra idriftsættelsen, hvis frist for gebyr → fordring er udløbet, har en fordring i debitorsystemet (18 af 20; mindst 95 % kræves); ' +
        'leverancer mangler: indbetalinger (debitor_payments) siden 23. november; ' +
        '1 åben advarsel',
    );
    expect(r).toMatchObject({
      fees_in_scope: 24,
      fees_last_7_days: 8, // created 1..6 days before asOf (the 7th is exactly 7 days old) and the two of 04:30
      claims_last_7_days: 1,
      fees_due: 20,
      fees_reached: 18,
      reached_pct: '90.0',
      open_critical: 1,
      critical_over_2_banking_days: 1,
      open_warning: 1,
      fee_to_claim_sla: '1 h',
      claim_to_payable_sla: '1 bankdag',
      debitor_to_fbs_sla: '2 bankdage',
      fee_to_claim_completed: 18,
      fee_to_claim_over_sla: 0,
      klik_total: null,
    });
  });

  it('amber: a stage over SLA for more than 10 % of its completed items, and open warnings; a critical 2 days old is not red', () => {
    const r = pick(rows, '561');
    expect(r.status).toBe('amber');
    expect(r.reason).toBe('gebyr → fordring: 5 af 40 afsluttede over fristen på 1 time (12,5 %); 2 åbne advarsler');
    expect(r).toMatchObject({ open_critical: 1, critical_over_2_banking_days: 0, fees_due: 100, fees_reached: 96, reached_pct: '96.0' });
  });

  it('red: no fee in scope since go-live', () => {
    const r = pick(rows, '621');
    expect(r.status).toBe('red');
    expect(r.reason).toBe('intet gebyr er set siden idriftsættelsen 1. september 2026');
    expect(r).toMatchObject({ fees_in_scope: 0, fees_due: 0, reached_pct: null });
  });

  it('green: exactly 10 % over SLA is not more than 10 %; resolved discrepancies do not count; KLIK done by asOf', () => {
    const r = pick(rows, '751');
    expect(r.status).toBe('green');
    expect(r.reason).toBe('ingen kritiske afvigelser ældre end 2 bankdage, gebyrerne når debitorsystemet, fristerne overholdes og ingen åbne advarsler');
    expect(r).toMatchObject({ fee_to_claim_over_sla: 1, fee_to_claim_completed: 10, open_critical: 0, open_warning: 0, klik_done: 2, klik_total: 4 });
  });

  it('planned with go-live ahead', () => {
    const r = pick(rows, '461');
    expect(r.status).toBe('planned');
    expect(r.reason).toBe('planlagt: idriftsættelse 4. januar 2027');
  });

  it('writes waves.csv with instants in UTC and exact decimals', () => {
    const text = fs.readFileSync(path.join(dir, 'out', 'waves.csv'), 'utf8');
    const lines = text.split('\r\n');
    expect(lines[0].split(',').slice(0, 8)).toEqual(['wave', 'municipality', 'name', 'debtor_system', 'go_live', 'first_fee_in_scope', 'first_claim_received', 'fees_last_7_days']);
    expect(lines[1].startsWith('1,101,København,kmd_opus,2026-04-14,2026-10-28T05:00:00Z,2026-04-15T08:00:00Z,8,1,24,20,18,90.0,1,1,1,0.75,1 h,18,0,')).toBe(true);
    expect(lines[1].endsWith(',,,red,"1 kritisk afvigelse opstod for mere end 2 bankdage siden; kun 90,0 % af de ikke-annullerede gebyrer fra idriftsættelsen, hvis frist for gebyr → fordring er udløbet, har en fordring i debitorsystemet (18 af 20; mindst 95 % kræves); leverancer mangler: indbetalinger (debitor_payments) siden 23. november; 1 åben advarsel"')).toBe(true);
    expect(lines).toHaveLength(7); // header, five rows, final CRLF
  });
});

describe('afstem waves', () => {
  it('prints the latest run’s view from a read-only database and writes waves.csv with --out', async () => {
    const out = path.join(dir, 'cmd-out');
    const r = await capture(() => wavesCommand(['--config', configPath, '--out', out, '--wide']));
    expect(r.result, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^bølge\s+kommune\s+debitorsystem\s+idriftsat\s+første gebyr\s+første fordring\s+gebyrer 7d\s+nået\s+krit\s+adv\s+fee_to_claim p90\/frist/);
    expect(lines).toHaveLength(7);
    expect(lines[2]).toMatch(/^\s*1\s+101 København\s+kmd_opus\s+2026-04-14\s+2026-10-28T05:00:00Z\s+2026-04-15T08:00:00Z\s+8\s+90,0 %\s+1\s+1\s+0\.75 h \/ 1 h\s+– \/ 1 bankdag\s+– \/ 1 bankdag\s+– \/ 2 bankdage\s+–\s+RØD\s+1 kritisk afvigelse/);
    expect(lines[5]).toMatch(/751 Aarhus.*2\/4\s+GRØN/);
    // the same rows as the run wrote
    expect(fs.readFileSync(path.join(out, 'waves.csv'), 'utf8')).toBe(fs.readFileSync(path.join(dir, 'out', 'waves.csv'), 'utf8'));
    // without --wide: 120 columns, status and reason kept, what is left out named
    const narrow = await capture(() => wavesCommand(['--config', configPath]));
    expect(narrow.result, narrow.stderr).toBe(0);
    const narrowLines = narrow.stdout.trimEnd().split('\n');
    for (const l of narrowLines) expect(l.length, l).toBeLessThanOrEqual(120);
    expect(narrowLines[0]).toMatch(/^bølge\s+kommune\s.*\bfee_to_claim p90\/frist\s.*\bstatus\s+årsag$/);
    expect(narrowLines[0]).not.toContain('første gebyr');
    expect(narrow.stdout).toMatch(/^\s*1\s+101 København\s.*\sRØD\s+1 kritisk afvigelse/m);
    expect(narrow.stdout.replace(/\n(?!$)/g, ' ')).toMatch(/\(udeladt for at passe til 120 kolonner: [^)]*første gebyr, første fordring[^)]*; --wide viser alle\)/);
    const db = await Db.open(database, { readOnly: true });
    try {
      expect((await readWaves(db)).map((w) => w.status)).toEqual(['red', 'amber', 'red', 'green', 'planned']);
    } finally {
      db.close();
    }
  });
});
