-- R04 amount_mismatch. The fee and its claim (THE matched claim) disagree on the original
-- amount: FBS amount <> debtor principal. The citizen is charged a different amount than the library decided.
-- Finance and the library must correct the claim or the fee. Key claim_id; amount = principal - fee amount.
-- Source: RULES.md §3 R04.
-- incremental: item (its rows read the rows of one fee, claim, payment or transaction and those tied to them)
SELECT
  c.municipality, c.claim_id AS key_id,
  c.source_ref AS fee_id, c.claim_id, NULL::VARCHAR AS payment_id, NULL::VARCHAR AS psp_txn_id, NULL::VARCHAR AS coverage_id,
  (c.principal - c.fee_amount)::DECIMAL(38,2) AS amount,
  'Fordringen ' || c.claim_id || ' har hovedstol ' || da_money(c.principal)
    || ' kr., men gebyret ' || c.source_ref || ' i FBS er på ' || da_money(c.fee_amount)
    || ' kr.; forskel ' || da_money((c.principal - c.fee_amount)::DECIMAL(38,2)) || ' kr.' AS detail,
  concat_ws('; ', c.fee_src, c.src) AS lineage,
  greatest(c.fee_created_at, c.received_at) AS arose_at
FROM int_claims c
WHERE c.is_the_claim AND c.principal <> c.fee_amount
