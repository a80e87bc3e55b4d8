-- R21 not_shown_in_mit_overblik. Where the municipality delivered Mit Overblik previews
-- (borgerblikket_claims created by asOf), a claim received before the municipality's latest extracted_at, with
-- outstanding > 0 at that instant, is not shown to the citizen at all: the citizen cannot see the debt on borger.dk.
-- Finance must get the claim opened in Mit Overblik. Key claim_id; amount = outstanding at that instant.
-- Source: RULES.md §3 R21; seed 000 (GB6, opening Mit Overblik for claims).
WITH latest AS (
  SELECT municipality, max(extracted_at) AS latest_extracted_at
  FROM int_mit_overblik
  GROUP BY municipality
), events_then AS (
  -- what had changed each claim's net and covered amount by its municipality's latest extraction
  SELECT e.municipality, e.claim_id, sum(e.adjusted) AS adjusted, sum(e.covered) AS covered
  FROM int_claim_events e
  JOIN latest l ON l.municipality = e.municipality
  WHERE e.at <= l.latest_extracted_at
  GROUP BY e.municipality, e.claim_id
), cand AS (
  SELECT c.*, l.latest_extracted_at,
         (greatest(c.principal - coalesce(ev.adjusted, 0), 0) - coalesce(ev.covered, 0))::DECIMAL(38,2) AS outstanding_then
  FROM int_claims c
  JOIN latest l ON l.municipality = c.municipality
  LEFT JOIN events_then ev ON ev.municipality = c.municipality AND ev.claim_id = c.claim_id
  WHERE c.received_at < l.latest_extracted_at
    AND NOT EXISTS (SELECT 1 FROM int_mit_overblik b WHERE b.municipality = c.municipality AND b.claim_id = c.claim_id)
)
SELECT
  c.municipality, c.claim_id AS key_id,
  c.source_ref AS fee_id, c.claim_id, NULL::VARCHAR AS payment_id, NULL::VARCHAR AS psp_txn_id, NULL::VARCHAR AS coverage_id,
  c.outstanding_then AS amount,
  'Fordringen ' || c.claim_id || ' (modtaget ' || da_time(c.received_at)
    || ') vises ikke for borgeren i Mit Overblik; ved udtrækket '
    || da_time(c.latest_extracted_at) || ' var restancen '
    || da_money(c.outstanding_then) || ' kr.' AS detail,
  concat_ws('; ', c.src, c.fee_src) AS lineage,
  c.latest_extracted_at AS arose_at
FROM cand c
WHERE c.outstanding_then > 0
