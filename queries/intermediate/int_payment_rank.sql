-- int_payment_rank: the order of the active payments (booked and not reversed by asOf) that name the same psp
-- transaction (psp_txn_ref = txn_id of a transaction paid by asOf, any status) in a municipality (RULES.md §1, match
-- PSP transaction <-> payment): the earliest booked_at, then the smallest payment_id, is THE matched payment
-- (rank 1); the others are duplicate bookings (R13). Only the transactions named by more than one active payment
-- have rows here: a payment alone on its transaction is THE matched payment (int_payments gives it rank 1), so the
-- window runs over the few duplicates only, whatever the volume.
-- Source: cur_debitor_payments, cur_psp_transactions.
-- incremental: item (its rows read the rows of one fee, claim, payment or transaction and those tied to them)
WITH active AS (
  SELECT p.municipality, p.payment_id, p.psp_txn_ref, p.booked_at, p.src
  FROM cur_debitor_payments p
  JOIN cur_psp_transactions t ON t.municipality = p.municipality AND t.txn_id = p.psp_txn_ref AND t.paid_at <= getvariable('as_of')
  WHERE p.booked_at <= getvariable('as_of')
    AND (p.reversed_at IS NULL OR p.reversed_at > getvariable('as_of'))
), shared AS (
  SELECT municipality, psp_txn_ref FROM active GROUP BY municipality, psp_txn_ref HAVING count(*) > 1
)
SELECT p.municipality, p.payment_id,
       row_number() OVER w AS rank_in_txn,
       first_value(p.payment_id) OVER w AS first_payment_id,
       first_value(p.src) OVER w AS first_payment_src
FROM active p
SEMI JOIN shared s ON s.municipality = p.municipality AND s.psp_txn_ref = p.psp_txn_ref
WINDOW w AS (PARTITION BY p.municipality, p.psp_txn_ref ORDER BY p.booked_at, p.payment_id)
