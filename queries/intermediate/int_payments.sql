-- int_payments: every payment (indbetaling) booked in the debtor system by asOf: reversed_at as of asOf, active
-- (not reversed), its psp transaction (psp_txn_ref = txn_id, any status, paid by asOf) and its rank among the
-- active payments naming that transaction (earliest booked_at, then smallest payment_id, is THE matched payment;
-- the others are duplicate bookings), and the sum of its active coverages.
-- Source: cur_debitor_payments, cur_psp_transactions, int_payment_rank, int_coverages, int_psp_municipalities; RULES.md §1 (match PSP transaction <-> payment,
-- active), §3 R11-R15; seed 003.
-- incremental: item (its rows read the rows of one fee, claim, payment or transaction and those tied to them)
WITH pay AS (
  SELECT p.* REPLACE (by_as_of(p.reversed_at) AS reversed_at)
  FROM cur_debitor_payments p
  WHERE p.booked_at <= getvariable('as_of')
), txn AS (
  SELECT t.*
  FROM cur_psp_transactions t
  WHERE t.paid_at <= getvariable('as_of')
), muni_txn AS (
  SELECT municipality FROM int_psp_municipalities
), matched AS (
  SELECT * FROM int_payment_rank
), cov AS (
  -- the sum of a payment's active coverages, and when a coverage of it was last made or reversed, active or
  -- reversed (RULES.md §5 R14, R15); the ordered lineage aggregate runs only over the payments with more than one
  -- active coverage, so its memory stays small at any volume
  SELECT municipality, payment_id,
         sum(amount) FILTER (WHERE active) AS covered,
         count(*) FILTER (WHERE active) AS n_active_coverages,
         CASE WHEN count(*) FILTER (WHERE active) = 1 THEN any_value(src) FILTER (WHERE active) END AS single_src,
         max(greatest(covered_at, reversed_at)) AS last_coverage_event_at
  FROM int_coverages
  GROUP BY municipality, payment_id
), cov_multi AS (
  SELECT municipality, payment_id, string_agg(src, '; ' ORDER BY covered_at, coverage_id) AS srcs
  FROM int_coverages
  WHERE active AND (municipality, payment_id) IN (
    SELECT municipality, payment_id FROM int_coverages WHERE active GROUP BY ALL HAVING count(*) > 1)
  GROUP BY municipality, payment_id
)
SELECT
  p.municipality,
  p.payment_id,
  p.channel,
  p.psp_txn_ref,
  p.amount,
  p.booked_at,
  p.reversed_at,
  p.reversed_at IS NULL AS active,
  mt.municipality IS NOT NULL AS municipality_has_psp_txns,
  t.txn_id IS NOT NULL AS txn_exists,
  t.status AS txn_status,
  t.amount AS txn_amount,
  t.paid_at AS txn_paid_at,
  t.claim_id AS txn_claim_id,
  t.src AS txn_src,
  -- an active payment on an existing transaction is THE matched payment unless int_payment_rank ranks it lower
  CASE WHEN p.reversed_at IS NULL AND t.txn_id IS NOT NULL THEN coalesce(m.rank_in_txn, 1) END AS rank_in_txn,
  p.reversed_at IS NULL AND t.txn_id IS NOT NULL AND coalesce(m.rank_in_txn, 1) = 1 AS is_matched,
  CASE WHEN p.reversed_at IS NULL AND t.txn_id IS NOT NULL THEN coalesce(m.first_payment_id, p.payment_id) END AS first_payment_id,
  CASE WHEN p.reversed_at IS NULL AND t.txn_id IS NOT NULL THEN coalesce(m.first_payment_src, p.src) END AS first_payment_src,
  coalesce(c.covered, 0)::DECIMAL(38,2) AS covered,
  coalesce(c.n_active_coverages, 0) AS n_active_coverages,
  coalesce(c.single_src, cm.srcs) AS coverage_srcs,
  -- when the payment's application last changed (RULES.md §5 R14, R15): its booking or a coverage made or reversed
  greatest(p.booked_at, c.last_coverage_event_at) AS last_event_at,
  p.src
FROM pay p
LEFT JOIN muni_txn mt ON mt.municipality = p.municipality
LEFT JOIN cov_multi cm ON cm.municipality = p.municipality AND cm.payment_id = p.payment_id
LEFT JOIN txn t ON t.municipality = p.municipality AND t.txn_id = p.psp_txn_ref
LEFT JOIN matched m ON m.municipality = p.municipality AND m.payment_id = p.payment_id
LEFT JOIN cov c ON c.municipality = p.municipality AND c.payment_id = p.payment_id
