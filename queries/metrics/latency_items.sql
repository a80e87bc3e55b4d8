-- latency_items: one row per item per delay stage (seed 002, "Forsinkelser"): the four hops the money takes, each
-- item with its start, its end (NULL while not completed), its SLA deadline and whether it was done in time. What
-- latency.csv, summary.json's negativeDurations and the report's delay charts are computed from.
--   fee_to_claim      fee created_at -> THE claim's received_at; fees in scope with a claim (completed) or not
--                     cancelled without one (started, R01's population)
--   claim_to_payable  claim received_at -> earliest psp invoice published_at; claims in municipalities with a payment
--                     solution, with an invoice (completed) or outstanding > 0 without one (R09's population)
--   psp_to_debitor    captured transaction paid_at -> THE matched payment's booked_at (R10's population)
--   debitor_to_fbs    the claim's completion instant -> the fee's paid_at; fees in scope whose claim is fully covered,
--                     paid with payment_source debitor (completed) or still open (R18's population)
-- completed: end_at is set. within_sla: completed before the deadline. breached: completed at or after the deadline,
-- or not completed and the deadline has passed at asOf (these are exactly R01, R09, R10, R18). in_flight: not
-- completed, deadline not passed. duration_us is the exact elapsed time in microseconds (DST days have 23 or 25
-- hours); duration_hours is it in hours rounded half away from zero to 6 decimals, for reading; the quantiles of
-- latency.sql use duration_us. completed_date is the Europe/Copenhagen date on which the item completed.
-- Source: int_fees, int_claims, int_transactions, cfg_sla (via sla_deadline); RULES.md §1 (SLA deadline), §2.
-- kept: the report reads it after the run (delay charts)
-- incremental: item (its rows read the rows of one fee, claim, payment or transaction and those tied to them)
WITH items AS (
  SELECT f.municipality, 'fee_to_claim' AS stage, f.fee_id AS item_id,
         f.created_at AS start_at, f.claim_received_at AS end_at,
         sla_deadline('fee_to_claim', f.created_at) AS deadline,
         concat_ws('; ', f.src, f.claim_src) AS lineage
  FROM int_fees f
  WHERE f.in_scope AND (f.claim_id IS NOT NULL OR f.status <> 'cancelled')
  UNION ALL
  SELECT c.municipality, 'claim_to_payable', c.claim_id,
         c.received_at, c.first_published_at,
         sla_deadline('claim_to_payable', c.received_at),
         concat_ws('; ', c.src, c.first_invoice_src)
  FROM int_claims c
  WHERE c.has_payment_solution AND (c.first_published_at IS NOT NULL OR c.outstanding > 0)
  UNION ALL
  SELECT t.municipality, 'psp_to_debitor', t.txn_id,
         t.paid_at, t.payment_booked_at,
         sla_deadline('psp_to_debitor', t.paid_at),
         concat_ws('; ', t.src, t.payment_src)
  FROM int_transactions t
  WHERE t.captured
  UNION ALL
  SELECT f.municipality, 'debitor_to_fbs', f.fee_id,
         f.claim_completed_at, CASE WHEN f.status = 'paid' THEN f.paid_at END,
         sla_deadline('debitor_to_fbs', f.claim_completed_at),
         concat_ws('; ', f.src, f.claim_src, f.claim_coverage_srcs)
  FROM int_fees f
  WHERE f.in_scope AND f.claim_fully_covered
    AND ((f.status = 'paid' AND f.payment_source = 'debitor') OR f.status = 'open')
), flagged AS (
  SELECT i.*,
         i.end_at IS NOT NULL AS completed,
         CASE WHEN i.end_at IS NOT NULL THEN epoch_us(i.end_at) - epoch_us(i.start_at) END AS duration_us
  FROM items i
)
SELECT
  municipality,
  stage,
  item_id,
  start_at,
  end_at,
  deadline,
  duration_us,
  (sign(duration_us) * ((abs(duration_us) + 1800) // 3600) * 0.000001)::DECIMAL(18,6) AS duration_hours,
  completed,
  coalesce(completed AND end_at < deadline, false) AS within_sla,
  coalesce(CASE WHEN completed THEN end_at >= deadline ELSE getvariable('as_of') >= deadline END, false) AS breached,
  coalesce(NOT completed AND getvariable('as_of') < deadline, false) AS in_flight,
  coalesce(duration_us < 0, false) AS negative,
  cph_date(end_at) AS completed_date,
  lineage
FROM flagged
