-- int_mit_overblik: every row of the Mit Overblik preview (borgerblikket_claims, Verifikationsklient export)
-- extracted by asOf, with the claim it names (when that claim was received by extracted_at) and the claim's actual
-- outstanding at extracted_at (events at that instant included), and the municipality's latest extracted_at.
-- Source: cur_borgerblikket_claims, int_claims, int_claim_events; RULES.md §3 R21-R22; seed 000 (GB6).
WITH bb AS (
  SELECT b.*, max(b.extracted_at) OVER (PARTITION BY b.municipality) AS latest_extracted_at
  FROM cur_borgerblikket_claims b
  WHERE b.extracted_at <= getvariable('as_of')
), events_then AS (
  -- per preview row (its src), what had changed its claim's net and covered amount by the row's extracted_at
  SELECT b.src, sum(e.adjusted) AS adjusted, sum(e.covered) AS covered
  FROM bb b
  JOIN int_claim_events e ON e.municipality = b.municipality AND e.claim_id = b.claim_id AND e.at <= b.extracted_at
  GROUP BY b.src
)
SELECT
  b.municipality,
  b.claim_id,
  b.shown_outstanding,
  b.extracted_at,
  b.latest_extracted_at,
  c.claim_id IS NOT NULL AS claim_exists,
  c.source_ref AS claim_fee_id,
  c.principal AS claim_principal,
  c.src AS claim_src,
  CASE WHEN c.claim_id IS NOT NULL THEN
    (greatest(c.principal - coalesce(ev.adjusted, 0), 0) - coalesce(ev.covered, 0))::DECIMAL(38,2)
  END AS actual_outstanding,
  b.src
FROM bb b
-- the claims the previews name first (a semi join on the previews' hash table), then the join: DuckDB builds its hash
-- table of those instead of every claim (1M fees, one thread: 132 -> 103 ms CPU, median of 7; the same rows)
LEFT JOIN (SELECT * FROM int_claims c SEMI JOIN bb ON bb.municipality = c.municipality AND bb.claim_id = c.claim_id) c
       ON c.municipality = b.municipality AND c.claim_id = b.claim_id AND c.received_at <= b.extracted_at
LEFT JOIN events_then ev ON ev.src = b.src
