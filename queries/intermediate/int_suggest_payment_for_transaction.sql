-- int_suggest_payment_for_transaction: suggested matches of kind payment_for_transaction (RULES.md §6). The citizen's
-- money that arrived in the payment solution but is not booked (a captured transaction with no matched payment: R10's
-- population, deadline or not) is often the very payment booked as coming from the payment solution without a
-- transaction afstem can find (an active psp payment whose psp_txn_ref is empty or names no transaction: R11's
-- population): the reference is missing or mistyped. A pair when the amounts are equal and the payment's booked_at
-- lies in [paid_at, paid_at + 5 banking days] (the same Copenhagen time of day on the 5th banking day after paid_at's
-- local date). afstem suggests, never decides: a pair changes no rule and no amount; a clerk confirms it by recording
-- handling on both discrepancies. diff_us is the exact time apart (booked_at - paid_at), for the rank.
-- Source: int_transactions, int_payments, cal_banking_index, cal_banking_days; RULES.md §6, §1 (banking day, match PSP transaction <-> payment), §3 R10, R11.
WITH unmatched AS (
  SELECT t.municipality, t.txn_id, t.amount, t.paid_at, cph_local(t.paid_at) AS local_at
  FROM int_transactions t
  WHERE t.captured AND t.payment_id IS NULL
), lefts AS (
  -- + 5 banking days: the banking day numbered 5 after paid_at's local date (cal_banking_index counts the banking days
  -- up to a date, cal_banking_days numbers them), at the same wall time, back to UTC (a banking day is never a DST
  -- change day, so that wall time exists once); joins, not a lookup per row
  SELECT u.municipality, u.txn_id, u.amount, u.paid_at,
         timezone('UTC', timezone('Europe/Copenhagen', b.d::TIMESTAMP + (u.local_at - u.local_at::DATE::TIMESTAMP)))::TIMESTAMP AS window_end
  FROM unmatched u
  JOIN cal_banking_index i ON i.d = u.local_at::DATE
  JOIN cal_banking_days b ON b.n = i.n_upto + 5
), rights AS (
  SELECT p.municipality, p.payment_id, p.amount, p.booked_at
  FROM int_payments p
  WHERE p.active AND p.channel = 'psp' AND p.municipality_has_psp_txns AND NOT p.txn_exists
)
SELECT
  r.municipality,
  l.txn_id AS left_id,
  r.payment_id AS right_id,
  r.amount::DECIMAL(18,2) AS amount,
  epoch_us(r.booked_at) - epoch_us(l.paid_at) AS diff_us
FROM rights r
JOIN lefts l ON l.municipality = r.municipality AND l.amount = r.amount
  AND r.booked_at >= l.paid_at AND r.booked_at <= l.window_end
