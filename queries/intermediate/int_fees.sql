-- int_fees: every FBS fee in scope created by asOf (status, scope and net as in int_base_fees; older fees stay in FBS
-- and every reader of this model wants fees in scope only) with its matched claim, THE
-- claim: among the claims whose source_ref = fee_id in the same municipality, the earliest received_at, then the
-- smallest claim_id. Carries what the fee rules (R01, R07, R18-R20) and the fee stages of latency.csv need: the
-- claim's received_at, net, covered, outstanding, completion instant and earliest invoice.
-- Source: int_base_fees, int_claims; RULES.md §1 (in scope, fee status, fee net, match fee <-> claim), §2.
SELECT
  f.*,
  c.claim_id,
  c.received_at AS claim_received_at,
  c.principal AS claim_principal,
  c.net AS claim_net,
  c.covered AS claim_covered,
  c.outstanding AS claim_outstanding,
  coalesce(c.fully_covered, false) AS claim_fully_covered,
  c.completed_at AS claim_completed_at,
  c.first_published_at AS claim_first_published_at,
  c.coverage_srcs AS claim_coverage_srcs,
  c.src AS claim_src
FROM int_base_fees f
LEFT JOIN int_claims c ON c.municipality = f.municipality AND c.source_ref = f.fee_id AND c.is_the_claim
WHERE f.in_scope
