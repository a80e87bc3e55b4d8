-- suggestions: suggested matches (suggestions.csv, RULES.md §6): money or debt that is there but unmatched because a
-- reference is missing or mistyped. Every pair of the two kinds (int_suggest_payment_for_transaction: a captured
-- transaction and a psp payment with no transaction; int_suggest_claim_for_fee: a fee that never reached the debtor
-- system and a claim that names no fee), per municipality as of asOf. rank numbers a left item's candidates 1, 2, … by
-- the exact time apart (before rounding), then right id as text; right_rank = 1 marks a right item's best suggestion
-- (smallest exact time apart, then left id), which the report and discrepancies.xlsx show beside it. hours_apart =
-- the time apart in hours, two decimals, half away from zero (never negative: the window starts at the left instant).
-- reason is the contract's Danish text, amount with '.' between thousands and a decimal comma:
--   samme beløb 1.675,00 kr., bogført 26,50 timer efter betalingen                     (payment_for_transaction)
--   samme beløb 1.675,00 kr., samme skyldner, modtaget 26,50 timer efter gebyret       (claim_for_fee)
-- A suggestion decides nothing: no rule and no amount changes; a clerk confirms one by recording handling (FORMATS.md
-- §8) on both discrepancies. Sorted by municipality, kind, left id, rank.
-- Source: int_suggest_payment_for_transaction, int_suggest_claim_for_fee; RULES.md §6, FORMATS.md §7.
WITH pairs AS (
  SELECT 'payment_for_transaction' AS kind, * FROM int_suggest_payment_for_transaction
  UNION ALL
  SELECT 'claim_for_fee' AS kind, * FROM int_suggest_claim_for_fee
), ranked AS (
  SELECT p.*,
         row_number() OVER (PARTITION BY p.municipality, p.kind, p.left_id ORDER BY p.diff_us, p.right_id) AS rank,
         row_number() OVER (PARTITION BY p.municipality, p.kind, p.right_id ORDER BY p.diff_us, p.left_id) AS right_rank,
         count(*) OVER (PARTITION BY p.municipality, p.kind, p.left_id) AS left_candidates,
         count(*) OVER (PARTITION BY p.municipality, p.kind, p.right_id) AS right_candidates,
         (((p.diff_us + 18000000) // 36000000) * 0.01)::DECIMAL(18,2) AS hours_apart
  FROM pairs p
)
SELECT
  municipality, kind, left_id, right_id, amount, hours_apart, rank,
  'samme beløb ' || da_kr(amount) || ' kr., '
    || CASE kind WHEN 'payment_for_transaction' THEN 'bogført ' ELSE 'samme skyldner, modtaget ' END
    || replace(CAST(hours_apart AS VARCHAR), '.', ',') || ' timer efter '
    || CASE kind WHEN 'payment_for_transaction' THEN 'betalingen' ELSE 'gebyret' END AS reason,
  right_rank, left_candidates, right_candidates
FROM ranked
ORDER BY municipality, kind, left_id, rank
