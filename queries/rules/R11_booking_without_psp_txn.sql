-- R11 booking_without_psp_txn. An active payment booked with channel psp whose psp_txn_ref is
-- empty or names no transaction of the payment solution (of any status): money booked as coming from the payment
-- solution that the payment solution does not know. Only checked where the municipality delivered at least one
-- psp transaction created by asOf. Finance must find the transaction or correct the booking.
-- Key payment_id; amount = payment amount. Source: RULES.md §3 R11; seed 003.
-- incremental: item (its rows read the rows of one fee, claim, payment or transaction and those tied to them)
SELECT
  p.municipality, p.payment_id AS key_id,
  NULL::VARCHAR AS fee_id, NULL::VARCHAR AS claim_id, p.payment_id, p.psp_txn_ref AS psp_txn_id, NULL::VARCHAR AS coverage_id,
  p.amount::DECIMAL(38,2) AS amount,
  'Indbetalingen ' || p.payment_id || ' på ' || da_money(p.amount) || ' kr. (bogført '
    || da_time(p.booked_at) || ') er bogført som betaling fra betalingsløsningen, men '
    || CASE WHEN p.psp_txn_ref IS NULL OR trim(p.psp_txn_ref) = '' THEN 'har ingen transaktionsreference.'
            ELSE 'transaktionen ' || p.psp_txn_ref || ' findes ikke i betalingsløsningen.' END AS detail,
  p.src AS lineage,
  p.booked_at AS arose_at
FROM int_payments p
WHERE p.active AND p.channel = 'psp' AND p.municipality_has_psp_txns AND NOT p.txn_exists
