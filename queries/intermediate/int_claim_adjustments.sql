-- int_claim_adjustments: per claim, the downward adjustments and cancellations (nedreguleringer) registered in the
-- debtor system by asOf: their sum (claim net = principal minus this, never below 0, RULES.md §1), how many, the
-- latest (R05 counts its deadline from it) and their lineage in (registered_at, adjustment_id) order.
-- Source: cur_debitor_adjustments; RULES.md §1, §3 R05.
-- incremental: item (its rows read the rows of one fee, claim, payment or transaction and those tied to them)
SELECT a.municipality, a.claim_id,
       sum(a.amount) AS adjusted_amount,
       count(*) AS n_adjustments,
       max(a.registered_at) AS last_adjusted_at,
       array_to_string(list_transform(list_sort(list(struct_pack(t := a.registered_at, i := a.adjustment_id, s := a.src))), lambda x: x.s), '; ') AS adjustment_srcs
FROM cur_debitor_adjustments a
WHERE a.registered_at <= getvariable('as_of')
GROUP BY a.municipality, a.claim_id
