-- R22 mit_overblik_amount_mismatch. Mit Overblik shows the citizen another outstanding amount for
-- a claim than the debtor system had at the moment of the extract (events at that instant included): the citizen
-- sees a wrong debt on borger.dk. Finance must correct the claim or the integration. Only claims that exist and were
-- received by the extract's extracted_at. Key claim_id; amount = shown - actual.
-- Source: RULES.md §3 R22; seed 000 (GB6).
SELECT
  b.municipality, b.claim_id AS key_id,
  b.claim_fee_id AS fee_id, b.claim_id, NULL::VARCHAR AS payment_id, NULL::VARCHAR AS psp_txn_id, NULL::VARCHAR AS coverage_id,
  (b.shown_outstanding - b.actual_outstanding)::DECIMAL(38,2) AS amount,
  'Mit Overblik viste ' || da_time(b.extracted_at) || ' en restance på '
    || da_money(b.shown_outstanding) || ' kr. for fordringen ' || b.claim_id
    || ', men restancen i debitorsystemet var ' || da_money(b.actual_outstanding) || ' kr.' AS detail,
  concat_ws('; ', b.src, b.claim_src) AS lineage,
  b.extracted_at AS arose_at
FROM int_mit_overblik b
WHERE b.claim_exists AND b.shown_outstanding <> b.actual_outstanding
