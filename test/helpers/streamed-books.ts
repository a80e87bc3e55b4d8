// Books for the streamed outputs (test/report/streamed-outputs.test.ts): planted straight into the tables the report
// step reads, in the shapes a night leaves them, with more rows than one chunk of DuckDB's (2,048) in every list the
// step streams: 6,000 discrepancies of eight rules over three municipalities (the worklist's critical and warning
// ones, info, resolved, explained, awaiting and due, in progress, with assignees and notes, CPR numbers and markup in
// ids and text, negative and empty amounts, descriptions over 100 characters, recurring phrases), their hints,
// reopened cases' trail, 3,000 suggestions, 3,000 rejected rows, reversals and latency.
import { Db } from '../../src/db.ts';

export const STREAMED_AS_OF = new Date('2026-06-10T10:00:00Z');
export const STREAMED_DISCREPANCIES = 6_000;

const MUNICIPALITIES: [string, string][] = [['101', 'København'], ['561', 'Esbjerg'], ['621', 'Kolding']];

export async function streamedDb(): Promise<Db> {
  const db = await Db.open(':memory:');
  const n = STREAMED_DISCREPANCIES;
  await db.exec(`
    CREATE TABLE cfg_municipalities (code VARCHAR, name VARCHAR);
    INSERT INTO cfg_municipalities VALUES ${MUNICIPALITIES.map(([c, name]) => `('${c}', '${name}')`).join(', ')};
    CREATE TABLE discrepancy_states AS
    WITH base AS (
      SELECT i,
        ['R01', 'R02', 'R03', 'R04', 'R14', 'R09', 'R16', 'R18'][i % 8 + 1] AS rule,
        ['critical', 'warning', 'critical', 'critical', 'info', 'warning', 'critical', 'warning'][i % 8 + 1] AS severity,
        ['101', '561', '621'][(i // 8) % 3 + 1] AS municipality,
        CASE WHEN i % 97 = 0 THEN '120385' || lpad(CAST(i % 10000 AS VARCHAR), 4, '0')
             WHEN i % 89 = 0 THEN 'F<b>' || i || '</b>&amp'
             ELSE 'K' || lpad(CAST(i AS VARCHAR), 6, '0') END AS key_id,
        CASE WHEN i % 11 = 0 THEN NULL ELSE CAST(((i * 7919) % 400000 - 100000) / 100.0 AS DECIMAL(38,2)) END AS amount
      FROM range(${n}) t(i))
    SELECT rule, severity, municipality, key_id,
      CASE WHEN rule IN ('R01', 'R18') THEN key_id WHEN i % 2 = 0 THEN 'F' || i END AS fee_id,
      CASE WHEN rule IN ('R02', 'R03', 'R04', 'R09', 'R16') THEN key_id WHEN i % 3 = 0 THEN 'C' || i END AS claim_id,
      CASE WHEN rule = 'R14' THEN key_id WHEN i % 5 = 0 THEN 'P' || i END AS payment_id,
      CASE WHEN i % 7 = 0 THEN 'T' || i END AS psp_txn_id,
      CASE WHEN i % 13 = 0 THEN 'D' || i END AS coverage_id,
      amount,
      CASE i % 6
        WHEN 0 THEN 'Gebyr ' || key_id || ' på ' || coalesce(replace(CAST(abs(amount) AS VARCHAR), '.', ','), '0,00') || ' kr. er ikke overført til debitorsystemet inden for fristen (1 time efter oprettelsen)'
        WHEN 1 THEN 'Fordring ' || key_id || ' nævner intet gebyr i FBS; kilde "' || i || '" <ukendt> & uden reference'
        WHEN 2 THEN 'Gebyret er overført to gange: fordring ' || key_id || ' og C' || (i + 1) || ' dækker det samme gebyr F' || i
        WHEN 3 THEN 'Fordringen er ' || coalesce(replace(CAST(abs(amount) AS VARCHAR), '.', ','), '0,00') || ' kr., gebyret 0,50 kr.; forskel for borger 010180-' || lpad(CAST(i % 10000 AS VARCHAR), 4, '0')
        WHEN 4 THEN 'Indbetaling ' || key_id || ' er ikke dækket fuldt ud'
        ELSE 'Betalt i FBS ' || i || ' dage efter, ikke synligt endnu' END AS detail,
      '101/fbs_fees_2026-06-0' || (i % 9 + 1) || '.csv:' || (i + 2) AS lineage,
      CASE WHEN i % 41 = 0 THEN NULL ELSE TIMESTAMP '2026-04-01 06:00:00' + INTERVAL (i % 733 * 97) MINUTE END AS arose_at,
      CASE WHEN i % 43 = 0 THEN NULL ELSE CAST(i % 45 AS INTEGER) END AS age_banking_days,
      CASE WHEN i % 3 = 0 THEN TIMESTAMP '2026-06-10 10:00:00' ELSE TIMESTAMP '2026-06-05 10:00:00' END AS first_seen,
      CASE WHEN i % 13 = 0 THEN 'resolved' WHEN i % 3 = 0 THEN 'new' ELSE 'persisting' END AS state,
      CASE WHEN i % 13 = 0 THEN TIMESTAMP '2026-06-10 10:00:00' END AS resolved_at,
      CASE WHEN i % 17 = 0 THEN 'explained' WHEN i % 19 = 0 THEN 'awaiting' WHEN i % 7 = 0 THEN 'in_progress' ELSE 'open' END AS handling_status,
      'S-' || (i + 1) AS case_ref,
      CASE WHEN i % 23 = 0 THEN 'Anna Andersen' WHEN i % 31 = 0 THEN 'Bo <b>' || i || '</b> 311299-9876' END AS assignee,
      CASE WHEN i % 17 = 0 THEN 'kontant betalt på biblioteket; kvittering ' || i || E'\\nanden linje' END AS note,
      CASE WHEN i % 19 = 0 AND i % 17 <> 0 THEN CASE WHEN i % 38 = 0 THEN DATE '2026-06-01' ELSE DATE '2026-07-01' END END AS follow_up,
      CASE WHEN i % 17 = 0 OR i % 19 = 0 OR i % 7 = 0 THEN 'anna' END AS handled_by,
      CASE WHEN i % 17 = 0 OR i % 19 = 0 OR i % 7 = 0 THEN TIMESTAMP '2026-06-08 07:30:15' END AS handled_at,
      (i % 19 = 0 AND i % 17 <> 0 AND i % 38 = 0) AS handling_due
    FROM base;
    CREATE TABLE discrepancy_hints AS
    SELECT municipality, rule, key_id,
      CASE WHEN i % 8 <> 4 THEN 'muligt match: indbetaling P' || i || ' med samme beløb 2 bankdage senere' END AS suggestion,
      CASE WHEN i % 8 <> 4 THEN 'P' || i END AS counterpart_id, 1 AS candidates,
      CASE WHEN i % 8 = 0 THEN 'muligvis forårsaget af, at Esbjerg ikke har leveret indbetalinger (debitor_payments) siden 26. maj' END AS overdue_cause
    FROM (SELECT row_number() OVER (ORDER BY case_ref) AS i, * FROM discrepancy_states WHERE state <> 'resolved')
    WHERE i % 4 = 0;
    CREATE TABLE handling_trail AS
    SELECT row_number() OVER (ORDER BY case_ref) AS seq, case_ref, municipality, rule, key_id, 'open' AS old_status,
      'in_progress' AS new_status, NULL::VARCHAR AS old_assignee, 'Carl' AS new_assignee, NULL::VARCHAR AS old_note,
      'ringede til borgeren' AS new_note, NULL::DATE AS old_follow_up, NULL::DATE AS new_follow_up, 'carl' AS who,
      TIMESTAMP '2026-05-01 09:00:00' AS changed_at, 'cli' AS source
    FROM discrepancy_states WHERE state <> 'resolved' AND hash(case_ref) % 29 = 0;
    CREATE TABLE suggestions AS
    SELECT ['101', '561', '621'][i % 3 + 1] AS municipality, ['transaction_payment', 'fee_claim'][i % 2 + 1] AS kind,
      'L' || (i // 2) AS left_id, 'R' || i AS right_id, CAST((i % 5000) / 4.0 AS DECIMAL(18,2)) AS amount,
      CAST(i % 97 / 4.0 AS DECIMAL(18,2)) AS hours_apart, i % 2 + 1 AS rank,
      'samme beløb ' || i || ' og =SUM(A1) @ 1,5 timer fra hinanden' AS reason
    FROM range(3000) t(i);
    CREATE TABLE reversals AS
    SELECT ['101', '561', '621'][i % 3 + 1] AS municipality, 'C' || i AS claim_id, 'F' || i AS fee_id,
      CAST(i + 0.5 AS DECIMAL(18,2)) AS excess_amount, 'D' || i || ' D' || (i + 1) AS coverage_ids, 'P' || i AS payment_ids,
      CAST(i * 2 + 1 AS DECIMAL(18,2)) AS reverse_amount, CAST(i + 0.5 AS DECIMAL(18,2)) AS reapply_amount
    FROM range(40) t(i);
    CREATE TABLE latency AS
    SELECT m AS municipality, s AS stage, 10 AS n, 1.25 AS p50_hours, 2.5 AS p90_hours, 3.75 AS p99_hours, 9.0 AS max_hours,
      8 AS within_sla, 2 AS breached, 1 AS in_flight
    FROM (VALUES ('101'), ('561'), ('621'), ('ALL')) a(m), (VALUES ('fee_to_claim'), ('claim_to_payable')) b(s);
    CREATE TABLE deliveries (delivery_id INTEGER, path VARCHAR, municipality VARCHAR, kind VARCHAR, export_date DATE,
      status VARCHAR, rows_read INTEGER, rows_loaded INTEGER, rows_rejected INTEGER, extra_columns VARCHAR, message VARCHAR, active BOOLEAN);
    INSERT INTO deliveries VALUES (1, '101/fbs_fees_2026-06-10.csv', '101', 'fbs_fees', DATE '2026-06-10', 'loaded', 6000, 3000, 3000, '[]', NULL, true),
      (2, '561/fbs_fees_2026-06-09.csv', '561', 'fbs_fees', DATE '2026-06-09', 'replaced', 10, 0, 10, '[]', NULL, false);
    CREATE TABLE rejects AS
    SELECT CASE WHEN i < 2990 THEN 1 ELSE 2 END AS delivery_id,
      CASE WHEN i < 2990 THEN '101/fbs_fees_2026-06-10.csv' ELSE '561/fbs_fees_2026-06-09.csv' END AS path, i + 2 AS line,
      'linje ' || (i + 2) || ': beloeb "12,5" har én decimal; beløb skal have to decimaler' AS reason,
      'MV' || i || ';120385-' || lpad(CAST(i % 10000 AS VARCHAR), 4, '0') || ';"12,5";-=1+2' AS raw
    FROM range(3000) t(i);`);
  return db;
}
