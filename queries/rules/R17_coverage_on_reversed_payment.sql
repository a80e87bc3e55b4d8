-- R17 coverage_on_reversed_payment. A coverage is still active although its payment was
-- reversed (tilbageført): the claim looks paid by money that is gone. Finance must reverse the coverage too.
-- Key coverage_id (with its payment_id and claim_id); amount = coverage amount. Source: RULES.md §3 R17, §1 (active); seed 003.
-- incremental: item (its rows read the rows of one fee, claim, payment or transaction and those tied to them)
SELECT
  v.municipality, v.coverage_id AS key_id,
  NULL::VARCHAR AS fee_id, v.claim_id, v.payment_id, NULL::VARCHAR AS psp_txn_id, v.coverage_id,
  v.amount::DECIMAL(38,2) AS amount,
  'Dækningen ' || v.coverage_id || ' på ' || da_money(v.amount) || ' kr. af fordringen '
    || v.claim_id || ' er stadig aktiv, men indbetalingen ' || v.payment_id || ' blev tilbageført '
    || da_time(v.payment_reversed_at) || '.' AS detail,
  concat_ws('; ', v.payment_src, v.src, v.claim_src) AS lineage,
  greatest(v.covered_at, v.payment_reversed_at) AS arose_at
FROM int_coverages v
WHERE v.active AND v.payment_reversed
