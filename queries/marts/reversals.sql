-- reversals: one reversal proposal per over-covered claim (outstanding < 0, rule R16). A payment can only be
-- reversed whole and one payment gives one coverage, so for excess E = -outstanding take the claim's active
-- coverages newest first (covered_at desc, then coverage_id desc) until their sum reaches E: those coverages and
-- their payments are to be reversed (reverse_amount = their sum), reapply_amount = reverse_amount - E is paid in again
-- on the same claim as a reduced payment, and E goes back to the payer. Lists are space-separated in that order,
-- payments without repeats. Source: int_claims, int_coverages; RULES.md §4; seed 003 (SF1590_B_03 §1.2.1).
-- incremental: item (its rows read the rows of one fee, claim, payment or transaction and those tied to them)
WITH over AS (
  SELECT c.municipality, c.claim_id, c.source_ref AS fee_id, (-c.outstanding)::DECIMAL(38,2) AS excess_amount
  FROM int_claims c
  WHERE c.outstanding < 0
), ordered AS (
  SELECT o.municipality, o.claim_id, o.excess_amount, v.coverage_id, v.payment_id, v.amount,
         row_number() OVER w AS pos,
         coalesce(sum(v.amount) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS sum_before
  FROM over o
  JOIN int_coverages v ON v.municipality = o.municipality AND v.claim_id = o.claim_id AND v.active
  WINDOW w AS (PARTITION BY o.municipality, o.claim_id ORDER BY v.covered_at DESC, v.coverage_id DESC)
), picked AS (
  SELECT * FROM ordered WHERE sum_before < excess_amount
), pays AS (
  SELECT municipality, claim_id, payment_id, min(pos) AS pos
  FROM picked
  GROUP BY municipality, claim_id, payment_id
), agg AS (
  SELECT municipality, claim_id,
         string_agg(coverage_id, ' ' ORDER BY pos) AS coverage_ids,
         sum(amount)::DECIMAL(38,2) AS reverse_amount
  FROM picked
  GROUP BY municipality, claim_id
), pay_agg AS (
  SELECT municipality, claim_id, string_agg(payment_id, ' ' ORDER BY pos) AS payment_ids
  FROM pays
  GROUP BY municipality, claim_id
)
SELECT
  o.municipality,
  o.claim_id,
  o.fee_id,
  o.excess_amount,
  a.coverage_ids,
  p.payment_ids,
  a.reverse_amount,
  (a.reverse_amount - o.excess_amount)::DECIMAL(38,2) AS reapply_amount
FROM over o
LEFT JOIN agg a ON a.municipality = o.municipality AND a.claim_id = o.claim_id
LEFT JOIN pay_agg p ON p.municipality = o.municipality AND p.claim_id = o.claim_id
ORDER BY o.municipality, o.claim_id
