-- int_transactions: every transaction in the payment solution paid by asOf (only status captured is money
-- received) with THE matched payment: the active payment with psp_txn_ref = txn_id, earliest booked_at, then
-- smallest payment_id. Its booked_at ends the psp_to_debitor stage.
-- Source: cur_psp_transactions, int_payments; RULES.md §1 (match PSP transaction <-> payment), §2, §3 R10.
-- incremental: item (its rows read the rows of one fee, claim, payment or transaction and those tied to them)
WITH n AS (
  SELECT municipality, psp_txn_ref, count(*) AS n_payments
  FROM int_payments
  WHERE active AND txn_exists
  GROUP BY municipality, psp_txn_ref
)
SELECT
  t.municipality,
  t.txn_id,
  t.claim_id,
  t.method,
  t.amount,
  t.paid_at,
  t.status,
  t.status = 'captured' AS captured,
  p.payment_id,
  p.booked_at AS payment_booked_at,
  p.amount AS payment_amount,
  p.src AS payment_src,
  coalesce(n.n_payments, 0) AS n_payments,
  t.src
FROM cur_psp_transactions t
LEFT JOIN int_payments p ON p.municipality = t.municipality AND p.psp_txn_ref = t.txn_id AND p.is_matched
LEFT JOIN n ON n.municipality = t.municipality AND n.psp_txn_ref = t.txn_id
WHERE t.paid_at <= getvariable('as_of')
