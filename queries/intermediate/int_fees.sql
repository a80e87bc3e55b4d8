-- int_fees: every FBS fee in scope created by asOf (status, scope and net as in int_base_fees; older fees stay in FBS
-- and every reader of this model wants fees in scope only) with its matched claim, THE
-- claim: among the claims whose source_ref = fee_id in the same municipality, the earliest received_at, then the
-- smallest claim_id. Carries only what its readers need (the fee rules R01, R07, R18-R20, waves and the fee stages
-- of latency.csv), since every column is written once per fee. Of the claim: received_at, net, outstanding, fully
-- covered, completion instant, coverage lineage, the last event that moved its outstanding.
-- Source: int_base_fees, int_claims; RULES.md §1 (in scope, fee status, fee net, match fee <-> claim), §2.
-- incremental: item (its rows read the rows of one fee, claim, payment or transaction and those tied to them)
SELECT
  f.municipality,
  f.fee_id,
  f.patron_type,
  f.amount,
  f.created_at,
  f.status,
  f.paid_at,
  f.payment_source,
  f.in_scope,
  f.go_live,
  f.debtor_system,
  f.has_payment_solution,
  f.net,
  f.src,
  c.claim_id,
  c.received_at AS claim_received_at,
  c.net AS claim_net,
  c.outstanding AS claim_outstanding,
  coalesce(c.fully_covered, false) AS claim_fully_covered,
  c.completed_at AS claim_completed_at,
  c.coverage_srcs AS claim_coverage_srcs,
  c.src AS claim_src,
  -- R19's arose_at (RULES.md §5): the last event that moved the claim's outstanding, its received_at included
  greatest(c.received_at, c.last_moved_at) AS claim_last_moved_at
FROM int_base_fees f
LEFT JOIN int_claims c ON c.municipality = f.municipality AND c.source_ref = f.fee_id AND c.is_the_claim
WHERE f.in_scope
