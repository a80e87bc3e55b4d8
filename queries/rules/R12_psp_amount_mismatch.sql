-- R12 psp_amount_mismatch. A transaction in the payment solution and its matched payment in the
-- debtor system have different amounts: the citizen paid one amount and another was booked. Finance must correct
-- the booking. Key payment_id; amount = payment - transaction. Source: RULES.md §3 R12, §1 (match PSP transaction
-- <-> payment).
-- incremental: item (its rows read the rows of one fee, claim, payment or transaction and those tied to them)
SELECT
  p.municipality, p.payment_id AS key_id,
  NULL::VARCHAR AS fee_id, NULL::VARCHAR AS claim_id, p.payment_id, p.psp_txn_ref AS psp_txn_id, NULL::VARCHAR AS coverage_id,
  (p.amount - p.txn_amount)::DECIMAL(38,2) AS amount,
  'Indbetalingen ' || p.payment_id || ' er bogført med ' || da_money(p.amount)
    || ' kr., men transaktionen ' || p.psp_txn_ref || ' i betalingsløsningen er på '
    || da_money(p.txn_amount) || ' kr.; forskel '
    || da_money((p.amount - p.txn_amount)::DECIMAL(38,2)) || ' kr.' AS detail,
  concat_ws('; ', p.txn_src, p.src) AS lineage,
  greatest(p.txn_paid_at, p.booked_at) AS arose_at
FROM int_payments p
WHERE p.is_matched AND p.amount <> p.txn_amount
