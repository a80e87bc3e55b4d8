-- int_claims: every claim (fordring) received in the debtor system by asOf, as it stands at asOf: its FBS fee
-- (source_ref = fee_id in the same municipality), its rank among the claims of that fee (earliest received_at, then
-- smallest claim_id, is THE claim; the others are duplicates), claim net (principal minus debitor adjustments
-- registered by asOf, never below 0), covered (sum of its active coverages), outstanding (restance = net - covered),
-- the completion instant (covered_at of the active coverage at which the running sum, in order of covered_at,
-- coverage_id, first reaches net, when covered >= net > 0), and its earliest psp invoice published by asOf.
-- Source: int_claim_state, int_base_fees; RULES.md §1 (match fee <-> claim, claim net, covered, outstanding, completion instant).
-- incremental: item (its rows read the rows of one fee, claim, payment or transaction and those tied to them)
SELECT
  s.municipality,
  s.claim_id,
  s.source_ref,
  s.account_type,
  s.claim_type,
  s.principal,
  s.received_at,
  s.collection_sent_at,
  f.fee_id IS NOT NULL AS fee_exists,
  CASE WHEN f.fee_id IS NOT NULL THEN s.rank_in_fee END AS rank_in_fee,
  CASE WHEN f.fee_id IS NOT NULL THEN s.rank_in_fee = 1 ELSE false END AS is_the_claim,
  CASE WHEN f.fee_id IS NOT NULL THEN s.first_claim_id END AS the_claim_id,
  CASE WHEN f.fee_id IS NOT NULL THEN s.first_claim_src END AS the_claim_src,
  CASE WHEN f.fee_id IS NOT NULL THEN s.first_claim_received_at END AS the_claim_received_at,
  f.amount AS fee_amount,
  f.created_at AS fee_created_at,
  f.net AS fee_net,
  f.status AS fee_status,
  f.patron_type AS fee_patron_type,
  f.fee_type AS fee_fee_type,
  f.cancelled_at AS fee_cancelled_at,
  f.last_adjusted_at AS fee_last_adjusted_at,
  f.adjustment_srcs AS fee_adjustment_srcs,
  f.src AS fee_src,
  s.* EXCLUDE (municipality, claim_id, source_ref, account_type, claim_type, principal, received_at, invoiced_at, due_date,
               collection_sent_at, rank_in_fee, first_claim_id, first_claim_src, first_claim_received_at,
               adjusted_amount, n_adjustments, n_active_coverages)
FROM int_claim_state s
LEFT JOIN (
  -- only the fees some claim names: the join then holds a fraction of a large FBS in memory
  SELECT * FROM int_base_fees
  WHERE (municipality, fee_id) IN (SELECT municipality, source_ref FROM cur_debitor_claims WHERE received_at <= getvariable('as_of'))
) f ON f.municipality = s.municipality AND f.fee_id = s.source_ref
