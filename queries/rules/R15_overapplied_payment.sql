-- R15 overapplied_payment. An active payment whose active coverages sum to more than its amount:
-- more money is applied to claims than was paid in. Finance must reverse coverages. Key payment_id; amount = the
-- excess (active coverages - payment amount). Source: RULES.md §3 R15; seed 003.
-- incremental: item (its rows read the rows of one fee, claim, payment or transaction and those tied to them)
SELECT
  p.municipality, p.payment_id AS key_id,
  NULL::VARCHAR AS fee_id, NULL::VARCHAR AS claim_id, p.payment_id, p.psp_txn_ref AS psp_txn_id, NULL::VARCHAR AS coverage_id,
  (p.covered - p.amount)::DECIMAL(38,2) AS amount,
  'Indbetalingen ' || p.payment_id || ' på ' || da_money(p.amount) || ' kr. (bogført '
    || da_time(p.booked_at) || ') er anvendt med '
    || da_money(p.covered) || ' kr. på fordringer, '
    || da_money((p.covered - p.amount)::DECIMAL(38,2)) || ' kr. mere end indbetalt.' AS detail,
  concat_ws('; ', p.src, p.coverage_srcs) AS lineage,
  p.last_event_at AS arose_at
FROM int_payments p
WHERE p.active AND p.covered > p.amount
