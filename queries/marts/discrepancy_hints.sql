-- discrepancy_hints: what may explain an open discrepancy, for the report and discrepancies.xlsx ("Muligt match",
-- "Mulig årsag"). One row per open discrepancy that has either:
--   suggestion, counterpart_id  its best suggested match (RULES.md §6), beside whichever of the pair's two items is an
--       open discrepancy: the left item (R10's transaction, R01's fee) takes its rank 1, the right item (R11's
--       payment, R02's claim) its best suggestion (smallest exact time apart, then left id); counterpart_id is the
--       other item's id, candidates how many suggestions name this item. Which rule's discrepancy is which side of
--       which kind is the catalog's `suggestion` (the rule_suggestion_sides placeholder, src/pipeline/graph.ts);
--   overdue_cause  the overdue deliveries of its municipality (RULES.md §7) of a kind its rule reads, in Danish
--       ('muligvis forårsaget af, at indbetalinger (debitor_payments) ikke er leveret siden 26. november'). The
--       kinds each rule reads are the catalog's `reads` (queries/rules/catalog.json; the rule_reads placeholder).
-- Neither changes the discrepancy: it stays open until the books change (a clerk confirms a match by recording
-- handling on both discrepancies, FORMATS.md §8). Sorted by municipality, rule, key.
-- Source: discrepancies, suggestions, delivery_status; RULES.md §6, §7.
WITH reads AS (
  SELECT kind, rule FROM {{ rule_reads }} t
), causes AS (
  SELECT s.municipality, r.rule,
         'muligvis forårsaget af, at '
           || string_agg(s.kind_da || ' (' || s.kind || ') ikke er leveret siden ' || da_day(s.last_export_date), ', og at ' ORDER BY s.kind)
           AS overdue_cause
  FROM delivery_status s
  JOIN reads r ON r.kind = s.kind
  WHERE s.overdue
  GROUP BY s.municipality, r.rule
), best AS (
  -- the left item's rank 1 (R10 on the transaction, R01 on the fee) and the right item's best (R11, R02)
  SELECT s.municipality, r.rule, s.left_id AS key_id, s.right_id AS counterpart_id, s.kind, true AS is_left, s.amount,
         s.hours_apart, s.left_candidates AS candidates
  FROM suggestions s JOIN {{ rule_suggestion_sides }} r ON r.kind = s.kind AND r.is_left
  WHERE s.rank = 1
  UNION ALL
  SELECT s.municipality, r.rule, s.right_id, s.left_id, s.kind, false, s.amount, s.hours_apart, s.right_candidates
  FROM suggestions s JOIN {{ rule_suggestion_sides }} r ON r.kind = s.kind AND NOT r.is_left
  WHERE s.right_rank = 1
), worded AS (
  SELECT b.*,
         CASE WHEN b.kind = 'payment_for_transaction' AND b.is_left THEN 'Transaktionen ' || b.key_id
              WHEN b.kind = 'payment_for_transaction' THEN 'Indbetalingen ' || b.key_id
              WHEN b.is_left THEN 'Gebyret ' || b.key_id
              ELSE 'Fordringen ' || b.key_id END
         || ' på ' || da_kr(b.amount) || ' kr. er sandsynligvis '
         || CASE WHEN b.kind = 'payment_for_transaction' AND b.is_left THEN 'indbetalingen '
                 WHEN b.kind = 'payment_for_transaction' THEN 'transaktionen '
                 WHEN b.is_left THEN 'fordringen '
                 ELSE 'gebyret ' END
         || b.counterpart_id || ': samme beløb'
         || CASE WHEN b.kind = 'payment_for_transaction' THEN ', bogført ' ELSE ' og skyldner, modtaget ' END
         || replace(CAST(b.hours_apart AS VARCHAR), '.', ',') || ' timer efter'
         || CASE WHEN b.kind = 'payment_for_transaction' THEN ' betalingen' ELSE ' gebyret' END
         || CASE WHEN b.candidates > 1 THEN ' (det bedste af ' || b.candidates || ' mulige match, se suggestions.csv)' ELSE '' END
         AS suggestion
  FROM best b
)
SELECT d.municipality, d.rule, d.key_id, w.suggestion, w.counterpart_id, coalesce(w.candidates, 0) AS candidates, c.overdue_cause
FROM discrepancies d
LEFT JOIN worded w ON w.municipality = d.municipality AND w.rule = d.rule AND w.key_id = d.key_id
LEFT JOIN causes c ON c.municipality = d.municipality AND c.rule = d.rule
WHERE w.key_id IS NOT NULL OR c.rule IS NOT NULL
ORDER BY d.municipality, d.rule, d.key_id
