-- int_base_coverages: every coverage (dækning: the part of a payment applied to one claim) covered by asOf, with
-- reversed_at as of asOf, whether it is active (not reversed), and the state of its payment at asOf (booked by asOf,
-- reversed by asOf). A coverage is active by its own reversed_at even when its payment was reversed (that is R17).
-- Source: cur_debitor_coverages, cur_debitor_payments; RULES.md §1 (active, covered), seed 003 (SF1590_B_03).
-- incremental: item (its rows read the rows of one fee, claim, payment or transaction and those tied to them)
WITH cov AS (
  SELECT c.* REPLACE (by_as_of(c.reversed_at) AS reversed_at)
  FROM cur_debitor_coverages c
  WHERE c.covered_at <= getvariable('as_of')
), pay AS (
  SELECT p.municipality, p.payment_id, p.amount, p.booked_at,
         by_as_of(p.reversed_at) AS reversed_at,
         p.src
  FROM cur_debitor_payments p
  WHERE p.booked_at <= getvariable('as_of')
)
SELECT
  c.municipality,
  c.coverage_id,
  c.payment_id,
  c.claim_id,
  c.amount,
  c.covered_at,
  c.reversed_at,
  c.reversed_at IS NULL AS active,
  p.payment_id IS NOT NULL AS payment_exists,
  p.reversed_at AS payment_reversed_at,
  p.reversed_at IS NOT NULL AS payment_reversed,
  p.src AS payment_src,
  c.src
FROM cov c
LEFT JOIN pay p ON p.municipality = c.municipality AND p.payment_id = c.payment_id
