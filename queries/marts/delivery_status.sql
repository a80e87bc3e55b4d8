-- delivery_status: deliveries that stopped (summary.json `deliveries`, RULES.md §7). A missing export makes a flood of
-- false discrepancies (no payments file tonight: every citizen payment looks unbooked), so afstem says when a
-- delivery has stopped before anyone chases its consequences. For every configured municipality and every watched
-- kind (cfg_deliveries: `deliveries.kinds`) it has delivered at least once (a file with an identity in effect, loaded or
-- rejected whole, with export date <= asOf's date; unknown, ignored and unreadable files are never registered):
-- last_export_date, the banking days after it up to and including asOf's date, and overdue when they are more than
-- `deliveries.maxGapBankingDays` (the variable max_gap_banking_days). The Danish words name the municipality, the kind
-- in Danish with its code and the day ('Odense har ikke leveret indbetalinger (debitor_payments) siden 26. november').
-- Sorted by municipality, kind. Source: src_deliveries, cfg_deliveries, cfg_municipalities; RULES.md §7, §1 (banking
-- day, asOf's date), FORMATS.md §6, GLOSSARY.md (the kinds in Danish).
WITH delivered AS (
  SELECT d.municipality, d.kind, max(d.export_date) AS last_export_date
  FROM src_deliveries d
  WHERE d.export_date <= getvariable('as_of_date')
  GROUP BY d.municipality, d.kind
), judged AS (
  SELECT m.code AS municipality, m.name AS municipality_name, k.kind, k.name_da AS kind_da, d.last_export_date,
         banking_days_after(d.last_export_date) AS banking_days_since
  FROM delivered d
  JOIN cfg_municipalities m ON m.code = d.municipality
  JOIN cfg_deliveries k ON k.kind = d.kind
)
SELECT
  municipality, kind, last_export_date, banking_days_since,
  banking_days_since > getvariable('max_gap_banking_days') AS overdue,
  municipality_name, kind_da,
  kind_da || ' (' || kind || ') siden ' || da_day(last_export_date) AS since_da,
  municipality_name || ' har ikke leveret ' || kind_da || ' (' || kind || ') siden ' || da_day(last_export_date) AS sentence_da
FROM judged
ORDER BY municipality, kind
