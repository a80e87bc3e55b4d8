-- R16 overcoverage. A claim whose active coverages exceed its net (principal minus
-- reductions): outstanding < 0, overdækning. The citizen has paid too much; finance must reverse payments and pay
-- the excess back (see reversals.csv, RULES.md §4). Key claim_id; amount = -outstanding.
-- Source: RULES.md §3 R16, §4; seed 003 (SF1590_B_03 §1.2.1).
-- incremental: item (its rows read the rows of one fee, claim, payment or transaction and those tied to them)
SELECT
  c.municipality, c.claim_id AS key_id,
  c.source_ref AS fee_id, c.claim_id, NULL::VARCHAR AS payment_id, NULL::VARCHAR AS psp_txn_id, NULL::VARCHAR AS coverage_id,
  (-c.outstanding)::DECIMAL(38,2) AS amount,
  'Fordringen ' || c.claim_id || ' er overdækket: der skyldes ' || da_money(c.net)
    || ' kr., men der er dækket ' || da_money(c.covered) || ' kr.; '
    || da_money((-c.outstanding)::DECIMAL(38,2))
    || ' kr. skal tilbage til indbetaleren (se forslaget til tilbageførsel).' AS detail,
  concat_ws('; ', c.src, c.fee_src, c.adjustment_srcs, c.coverage_srcs) AS lineage,
  c.last_moved_at AS arose_at
FROM int_claims c
WHERE c.outstanding < 0
