-- R14 unapplied_payment. An active payment whose active coverages sum to less than its amount: part
-- of the money is not applied to any claim yet. Finance should apply or refund the remainder.
-- Key payment_id; amount = the remainder (payment amount - active coverages). Source: RULES.md §3 R14; seed 003.
-- incremental: item (its rows read the rows of one fee, claim, payment or transaction and those tied to them)
SELECT
  p.municipality, p.payment_id AS key_id,
  NULL::VARCHAR AS fee_id, NULL::VARCHAR AS claim_id, p.payment_id, p.psp_txn_ref AS psp_txn_id, NULL::VARCHAR AS coverage_id,
  (p.amount - p.covered)::DECIMAL(38,2) AS amount,
  'Indbetalingen ' || p.payment_id || ' på ' || da_money(p.amount) || ' kr. (bogført '
    || da_time(p.booked_at) || ') er kun anvendt med '
    || da_money(p.covered) || ' kr. på fordringer; '
    || da_money((p.amount - p.covered)::DECIMAL(38,2)) || ' kr. er ikke anvendt.' AS detail,
  concat_ws('; ', p.src, p.coverage_srcs) AS lineage,
  p.last_event_at AS arose_at
FROM int_payments p
WHERE p.active AND p.covered < p.amount
