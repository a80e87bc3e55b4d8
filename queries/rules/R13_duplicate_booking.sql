-- R13 duplicate_booking. An active payment names a transaction of the payment solution that
-- already has an earlier active payment (earlier booked_at, then smaller payment_id): one citizen payment booked
-- twice. Finance must reverse the duplicate booking. Key payment_id (the duplicate); amount = payment amount.
-- Source: RULES.md §3 R13, §1 (match PSP transaction <-> payment).
-- incremental: item (its rows read the rows of one fee, claim, payment or transaction and those tied to them)
SELECT
  p.municipality, p.payment_id AS key_id,
  NULL::VARCHAR AS fee_id, NULL::VARCHAR AS claim_id, p.payment_id, p.psp_txn_ref AS psp_txn_id, NULL::VARCHAR AS coverage_id,
  p.amount::DECIMAL(38,2) AS amount,
  'Transaktionen ' || p.psp_txn_ref || ' er bogført mere end én gang: indbetalingen ' || p.payment_id || ' på '
    || da_money(p.amount) || ' kr. (bogført ' || da_time(p.booked_at)
    || ') er en dublet af indbetalingen ' || p.first_payment_id || '.' AS detail,
  concat_ws('; ', p.txn_src, p.first_payment_src, p.src) AS lineage,
  p.booked_at AS arose_at
FROM int_payments p
WHERE p.active AND p.txn_exists AND p.rank_in_txn > 1
