-- R03 duplicate_transfer. A claim matching a fee that already has an earlier claim (earlier
-- received_at, then smaller claim_id): the fee was transferred twice and the citizen may be charged twice. Finance
-- must cancel the duplicate claim. Key claim_id (the duplicate); amount = its principal.
-- Source: RULES.md §3 R03, §1 (match fee <-> claim: THE claim).
-- incremental: item (its rows read the rows of one fee, claim, payment or transaction and those tied to them)
SELECT
  c.municipality, c.claim_id AS key_id,
  c.source_ref AS fee_id, c.claim_id, NULL::VARCHAR AS payment_id, NULL::VARCHAR AS psp_txn_id, NULL::VARCHAR AS coverage_id,
  c.principal::DECIMAL(38,2) AS amount,
  'Gebyret ' || c.source_ref || ' er overført til debitorsystemet mere end én gang: fordringen ' || c.claim_id
    || ' på ' || da_money(c.principal) || ' kr. (modtaget '
    || da_time(c.received_at) || ') er en dublet af fordringen ' || c.the_claim_id
    || ' (modtaget ' || da_time(c.the_claim_received_at) || ').' AS detail,
  concat_ws('; ', c.fee_src, c.the_claim_src, c.src) AS lineage,
  c.received_at AS arose_at
FROM int_claims c
WHERE c.fee_exists AND c.rank_in_fee > 1
