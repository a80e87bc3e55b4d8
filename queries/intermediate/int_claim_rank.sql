-- int_claim_rank: the order of the claims that name the same source_ref in a municipality, for the source_refs named
-- by more than one claim received by asOf (RULES.md §1, match fee <-> claim): the earliest received_at, then the
-- smallest claim_id, is THE claim (rank 1); the others are duplicates (R03). A claim that is alone on its source_ref
-- is its own THE claim and has no row here (int_claim_state gives it rank 1), so the window runs over the few
-- duplicates only, whatever the volume.
-- Source: cur_debitor_claims.
-- incremental: item (its rows read the rows of one fee, claim, payment or transaction and those tied to them)
WITH shared AS (
  SELECT municipality, source_ref
  FROM cur_debitor_claims
  WHERE received_at <= getvariable('as_of') AND source_ref IS NOT NULL
  GROUP BY municipality, source_ref
  HAVING count(*) > 1
)
SELECT c.municipality, c.claim_id,
       row_number() OVER w AS rank_in_fee,
       first_value(c.claim_id) OVER w AS first_claim_id,
       first_value(c.src) OVER w AS first_claim_src,
       first_value(c.received_at) OVER w AS first_claim_received_at
FROM cur_debitor_claims c
SEMI JOIN shared s ON s.municipality = c.municipality AND s.source_ref = c.source_ref
WHERE c.received_at <= getvariable('as_of')
WINDOW w AS (PARTITION BY c.municipality, c.source_ref ORDER BY c.received_at, c.claim_id)
