-- int_claim_coverage: per claim received by asOf that has active coverages: covered (the sum of its active
-- coverages: a coverage is active by its own reversed_at, even when its payment was reversed), their lineage, and the
-- completion instant (RULES.md §1): the covered_at of the active coverage at which the running sum, in order of
-- (covered_at, coverage_id), first reaches claim net, when net > 0. Its own model so that no statement of the claim
-- layer holds every aggregate at once.
-- Source: int_base_coverages, cur_debitor_claims, int_claim_adjustments; RULES.md §1.
WITH adj AS (
  SELECT * FROM int_claim_adjustments
), cov AS (
  SELECT v.municipality, v.claim_id, v.coverage_id, v.amount, v.covered_at, v.src,
         sum(v.amount) OVER (PARTITION BY v.municipality, v.claim_id ORDER BY v.covered_at, v.coverage_id
                             ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running
  FROM int_base_coverages v
  WHERE v.active
), net AS (
  -- claim net alone (principal minus adjustments, never below 0), for the completion instant below
  SELECT c.municipality, c.claim_id, greatest(c.principal - coalesce(a.adjusted_amount, 0), 0)::DECIMAL(18,2) AS net
  FROM cur_debitor_claims c
  LEFT JOIN adj a ON a.municipality = c.municipality AND a.claim_id = c.claim_id
  WHERE c.received_at <= getvariable('as_of')
), cov_sum AS (
  -- covered, and the completion instant: the first covered_at at which the running sum reaches net (> 0)
  SELECT v.municipality, v.claim_id,
         sum(v.amount) AS covered,
         count(*) AS n_active_coverages,
         CASE WHEN count(*) = 1 THEN any_value(v.src) END AS single_src,
         min(v.covered_at) FILTER (WHERE n.net > 0 AND v.running >= n.net) AS completed_at
  FROM cov v
  LEFT JOIN net n ON n.municipality = v.municipality AND n.claim_id = v.claim_id
  GROUP BY v.municipality, v.claim_id
), cov_multi AS (
  -- the lineage of the coverages in (covered_at, coverage_id) order; the ordered aggregate runs only over the claims
  -- with more than one active coverage, so its memory stays small at any volume
  SELECT municipality, claim_id, string_agg(src, '; ' ORDER BY covered_at, coverage_id) AS srcs
  FROM int_base_coverages
  WHERE active AND (municipality, claim_id) IN (
    SELECT municipality, claim_id FROM int_base_coverages WHERE active GROUP BY ALL HAVING count(*) > 1)
  GROUP BY municipality, claim_id
)
SELECT s.* EXCLUDE (single_src), coalesce(s.single_src, m.srcs) AS coverage_srcs
FROM cov_sum s
LEFT JOIN cov_multi m ON m.municipality = s.municipality AND m.claim_id = s.claim_id
