-- R10 psp_payment_not_booked. The citizen has paid in the payment solution (captured
-- transaction) but no payment is booked in the debtor system for it, and the psp_to_debitor deadline from its
-- paid_at has passed: the money has arrived but the debt still looks unpaid. Finance must book the payment.
-- Key psp_txn_id; amount = transaction amount. Source: RULES.md §3 R10, §2 (psp_to_debitor); seed 002 (delay 3).
-- incremental: item (its rows read the rows of one fee, claim, payment or transaction and those tied to them)
SELECT
  t.municipality, t.txn_id AS key_id,
  NULL::VARCHAR AS fee_id, t.claim_id, NULL::VARCHAR AS payment_id, t.txn_id AS psp_txn_id, NULL::VARCHAR AS coverage_id,
  t.amount::DECIMAL(38,2) AS amount,
  'Borgeren betalte ' || da_money(t.amount) || ' kr. i betalingsløsningen '
    || da_time(t.paid_at) || ' (transaktion ' || t.txn_id
    || coalesce(', fordring ' || t.claim_id, '') || '), men betalingen er ikke bogført i debitorsystemet; fristen udløb '
    || da_time(sla_deadline('psp_to_debitor', t.paid_at)) || '.' AS detail,
  t.src AS lineage,
  sla_deadline('psp_to_debitor', t.paid_at) AS arose_at
FROM int_transactions t
WHERE t.captured
  AND t.payment_id IS NULL
  AND getvariable('as_of') >= sla_deadline('psp_to_debitor', t.paid_at)
