-- R14 unapplied_payment, severity info. An active payment whose active coverages sum to less than its amount: part
-- of the money is not applied to any claim yet. Finance should apply or refund the remainder.
-- Key payment_id; amount = the remainder (payment amount - active coverages). Source: RULES.md §3 R14; seed 003.
SELECT
  'R14' AS rule, 'info' AS severity, p.municipality, p.payment_id AS key_id,
  NULL::VARCHAR AS fee_id, NULL::VARCHAR AS claim_id, p.payment_id, p.psp_txn_ref AS psp_txn_id, NULL::VARCHAR AS coverage_id,
  (p.amount - p.covered)::DECIMAL(38,2) AS amount,
  'Indbetalingen ' || p.payment_id || ' på ' || replace(p.amount::VARCHAR, '.', ',') || ' kr. (bogført '
    || strftime(cph_local(p.booked_at), '%d-%m-%Y %H:%M') || ') er kun anvendt med '
    || replace(p.covered::VARCHAR, '.', ',') || ' kr. på fordringer; '
    || replace((p.amount - p.covered)::DECIMAL(38,2)::VARCHAR, '.', ',') || ' kr. er ikke anvendt.' AS detail,
  concat_ws('; ', p.src, p.coverage_srcs) AS lineage
FROM int_payments p
WHERE p.active AND p.covered < p.amount
