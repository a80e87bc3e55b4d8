-- int_claim_rank: every claim received by asOf (invoiced_at and collection_sent_at later than asOf count as empty),
-- with its order among the claims that name the same source_ref in the municipality (RULES.md §1, match fee <->
-- claim): the earliest received_at, then the smallest claim_id, is THE claim (rank 1); the others are duplicates (R03).
-- Its own model so that the window and the joins of int_claim_state never hold memory at the same time.
-- Source: cur_debitor_claims.
SELECT c.* REPLACE (
         CASE WHEN c.invoiced_at <= getvariable('as_of') THEN c.invoiced_at END AS invoiced_at,
         CASE WHEN c.collection_sent_at <= getvariable('as_of') THEN c.collection_sent_at END AS collection_sent_at),
       row_number() OVER w AS rank_in_fee,
       first_value(c.claim_id) OVER w AS first_claim_id,
       first_value(c.src) OVER w AS first_claim_src,
       first_value(c.received_at) OVER w AS first_claim_received_at
FROM cur_debitor_claims c
WHERE c.received_at <= getvariable('as_of')
WINDOW w AS (PARTITION BY c.municipality, c.source_ref ORDER BY c.received_at, c.claim_id)
