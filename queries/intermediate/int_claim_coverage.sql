-- int_claim_coverage: per claim that has active coverages (a coverage is active by its own reversed_at, even when its
-- payment was reversed): covered (the sum of its active coverages), their lineage in (covered_at, coverage_id)
-- order, and the completion instant (RULES.md §1): the covered_at of the active coverage at which the running sum,
-- in that order, first reaches claim net. It is only the completion instant when covered >= net > 0, which
-- int_claim_state checks. A claim with one active coverage completes at that coverage, so the running sum (a window)
-- and the ordered lineage run over the claims with more than one active coverage only: their memory and time stay
-- small at any volume. Its own model so that no statement of the claim layer holds every aggregate at once.
-- For when an over-coverage arose (RULES.md §5 R16, R19): the latest covered_at of its active coverages and the
-- latest reversed_at (by asOf) of its coverages; a claim whose coverages are all reversed has a row too (covered 0).
-- Source: int_base_coverages, cur_debitor_claims, int_claim_adjustments; RULES.md §1.
-- incremental: item (its rows read the rows of one fee, claim, payment or transaction and those tied to them)
WITH active AS NOT MATERIALIZED (
  -- a filter, cheaper to read twice than to hold in memory
  SELECT v.municipality, v.claim_id, v.coverage_id, v.amount, v.covered_at, v.src
  FROM int_base_coverages v
  WHERE v.active
), per_claim AS (
  SELECT municipality, claim_id,
         sum(amount) AS covered,
         count(*) AS n_active_coverages,
         CASE WHEN count(*) = 1 THEN any_value(src) END AS single_src,
         CASE WHEN count(*) = 1 THEN any_value(covered_at) END AS single_covered_at,
         max(covered_at) AS last_covered_at
  FROM active
  GROUP BY municipality, claim_id
), reversed AS (
  -- the few reversed coverages (reversed_at by asOf): when each claim's coverage last went down
  SELECT v.municipality, v.claim_id, max(v.reversed_at) AS last_reversed_at
  FROM int_base_coverages v
  WHERE NOT v.active
  GROUP BY v.municipality, v.claim_id
), multi AS (
  SELECT a.*,
         sum(a.amount) OVER (PARTITION BY a.municipality, a.claim_id ORDER BY a.covered_at, a.coverage_id
                             ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running
  FROM active a
  SEMI JOIN per_claim p ON p.municipality = a.municipality AND p.claim_id = a.claim_id AND p.n_active_coverages > 1
), net AS (
  -- claim net (principal minus adjustments registered by asOf, never below 0) of the claims in multi
  SELECT c.municipality, c.claim_id, greatest(c.principal - coalesce(j.adjusted_amount, 0), 0)::DECIMAL(38,2) AS net
  FROM cur_debitor_claims c
  SEMI JOIN per_claim p ON p.municipality = c.municipality AND p.claim_id = c.claim_id AND p.n_active_coverages > 1
  LEFT JOIN int_claim_adjustments j ON j.municipality = c.municipality AND j.claim_id = c.claim_id
  WHERE c.received_at <= getvariable('as_of')
), multi_claim AS (
  SELECT m.municipality, m.claim_id,
         string_agg(m.src, '; ' ORDER BY m.covered_at, m.coverage_id) AS srcs,
         min(m.covered_at) FILTER (WHERE n.net > 0 AND m.running >= n.net) AS completed_at
  FROM multi m
  LEFT JOIN net n ON n.municipality = m.municipality AND n.claim_id = m.claim_id
  GROUP BY m.municipality, m.claim_id
)
SELECT coalesce(p.municipality, r.municipality) AS municipality, coalesce(p.claim_id, r.claim_id) AS claim_id,
       coalesce(p.covered, 0)::DECIMAL(38,2) AS covered, coalesce(p.n_active_coverages, 0) AS n_active_coverages,
       coalesce(p.single_src, m.srcs) AS coverage_srcs,
       coalesce(p.single_covered_at, m.completed_at) AS completed_at,
       p.last_covered_at,
       r.last_reversed_at
FROM per_claim p
LEFT JOIN multi_claim m ON m.municipality = p.municipality AND m.claim_id = p.claim_id
FULL JOIN reversed r ON r.municipality = p.municipality AND r.claim_id = p.claim_id
