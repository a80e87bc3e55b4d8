-- int_base_fees: every FBS fee (mellemværende) created by asOf, as it stands at asOf: status from its timestamps
-- (paid when paid_at <= asOf, else cancelled when cancelled_at <= asOf, else open), in scope when its created_at as a
-- Europe/Copenhagen date is on or after the municipality's goLive, and fee net = 0 if cancelled, else amount minus
-- the FBS adjustments (reguleringer) created by asOf, never below 0. The claim matching is added in int_fees.
-- Source: cur_fbs_fees, cur_fbs_adjustments, cfg_municipalities; RULES.md §1 (asOf, in scope, fee net).
-- materialized: view (every FBS fee: its two readers compute it inline, cheaper than writing it out)
-- incremental: item (its rows read the rows of one fee, claim, payment or transaction and those tied to them)
WITH fees AS (
  SELECT f.* REPLACE (
           by_as_of(f.paid_at) AS paid_at,
           by_as_of(f.cancelled_at) AS cancelled_at)
  FROM cur_fbs_fees f
  WHERE f.created_at <= getvariable('as_of')
), muni AS (
  -- goLive as an instant: 00:00 Europe/Copenhagen on that date, in UTC (a local date >= goLive <=> an instant >= it)
  SELECT m.*, timezone('UTC', timezone('Europe/Copenhagen', m.go_live::TIMESTAMP))::TIMESTAMP AS go_live_at
  FROM cfg_municipalities m
), adj AS (
  SELECT a.municipality, a.fee_id,
         sum(a.amount) AS adjusted_amount,
         count(*) AS n_adjustments,
         max(a.created_at) AS last_adjusted_at,
         array_to_string(list_transform(list_sort(list(struct_pack(t := a.created_at, i := a.adjustment_id, s := a.src))), lambda x: x.s), '; ') AS adjustment_srcs
  FROM cur_fbs_adjustments a
  WHERE a.created_at <= getvariable('as_of')
  GROUP BY a.municipality, a.fee_id
)
SELECT
  f.municipality,
  f.fee_id,
  f.patron_type,
  f.fee_type,
  f.amount,
  f.created_at,
  f.status AS status_column,
  CASE WHEN f.paid_at IS NOT NULL THEN 'paid' WHEN f.cancelled_at IS NOT NULL THEN 'cancelled' ELSE 'open' END AS status,
  f.paid_at,
  f.payment_source,
  f.cancelled_at,
  coalesce(f.created_at >= m.go_live_at, false) AS in_scope,
  m.go_live,
  m.debtor_system,
  coalesce(m.has_payment_solution, false) AS has_payment_solution,
  coalesce(a.adjusted_amount, 0)::DECIMAL(38,2) AS adjusted_amount,
  coalesce(a.n_adjustments, 0) AS n_adjustments,
  a.last_adjusted_at,
  a.adjustment_srcs,
  CASE WHEN f.paid_at IS NULL AND f.cancelled_at IS NOT NULL THEN 0
       ELSE greatest(f.amount - coalesce(a.adjusted_amount, 0), 0) END::DECIMAL(38,2) AS net,
  f.src
FROM fees f
LEFT JOIN muni m ON m.code = f.municipality
LEFT JOIN adj a ON a.municipality = f.municipality AND a.fee_id = f.fee_id
