-- latency: the rows of latency.csv. For every configured municipality and each of the four delay stages (and for
-- all municipalities together, municipality 'ALL'): n completed items; p50/p90/p99 (continuous quantiles with linear
-- interpolation) and max of their durations in hours, rounded half away from zero to two decimals, negative
-- durations left out (NULL when nothing is left); within_sla and breached among the completed items, plus the
-- started-not-completed items past their deadline counted as breached; in_flight = started, not completed, deadline
-- not passed. Sorted by municipality then stage (as text), ALL last.
-- The quantiles follow DuckDB's quantile_cont (position (m-1)*q over the m sorted values, linear interpolation
-- between the two neighbours) but in exact integer arithmetic on microseconds: DuckDB's own quantile_cont, even on
-- DECIMAL, interpolates with a DOUBLE fraction and truncates, which was measured to give 0.01 h too little in 8 of
-- 3000 random cases (97.495 h shown as 97.49). Here value×100 = v_lo×100 + (v_hi - v_lo)×(hundredths of the
-- position) is an integer, and hours×100 = round-half-up(value×100 / 3.6e9), all in BIGINT.
-- Each group's durations are sorted once as a list and read at the positions' two neighbours (10M fees: 6.0 s → 2.8 s
-- against a row_number window joined back to the positions). latency_items is read twice, per municipality; 'ALL' is
-- made from those groups (the counts summed, the lists merged and sorted) instead of a second pass over every item
-- (1M fees, one thread: 406 → 287 ms CPU, 783 → 469 ms on a busy machine, median of 7; the same rows).
-- Source: latency_items, cfg_municipalities, cfg_sla; RULES.md §2, FORMATS.md §7.
WITH mcounts AS (
  SELECT municipality, stage,
         count(*) FILTER (WHERE completed) AS n,
         max(duration_us) FILTER (WHERE completed AND duration_us >= 0) AS max_us,
         count(*) FILTER (WHERE within_sla) AS within_sla,
         count(*) FILTER (WHERE breached) AS breached,
         count(*) FILTER (WHERE in_flight) AS in_flight
  FROM latency_items
  GROUP BY municipality, stage
), counts AS (
  -- and for all municipalities together ('ALL'), from those groups
  SELECT * FROM mcounts
  UNION ALL
  SELECT 'ALL', stage, sum(n)::BIGINT, max(max_us), sum(within_sla)::BIGINT, sum(breached)::BIGINT, sum(in_flight)::BIGINT
  FROM mcounts GROUP BY stage
), msorted AS (
  -- each group's durations as one sorted list: the quantiles read it at their two neighbours
  SELECT municipality, stage, list_sort(list(duration_us)) AS vs, count(*) AS m
  FROM latency_items
  WHERE completed AND duration_us >= 0
  GROUP BY municipality, stage
), sorted AS (
  SELECT * FROM msorted
  UNION ALL
  SELECT 'ALL', stage, list_sort(flatten(list(vs))), sum(m)::BIGINT FROM msorted GROUP BY stage
), positions AS (
  -- for each group and quantile: the index below the position (0-based), the one above it, and the hundredths between
  SELECT municipality, stage, vs, m,
         ((m - 1) * 50) // 100 AS lo50, ((m - 1) * 50) % 100 AS frac50,
         ((m - 1) * 90) // 100 AS lo90, ((m - 1) * 90) % 100 AS frac90,
         ((m - 1) * 99) // 100 AS lo99, ((m - 1) * 99) % 100 AS frac99
  FROM sorted
), hours AS (
  SELECT municipality, stage,
         ((vs[lo50 + 1] * 100 + (vs[least(lo50 + 1, m - 1) + 1] - vs[lo50 + 1]) * frac50 + 1800000000) // 3600000000) * 0.01 AS p50,
         ((vs[lo90 + 1] * 100 + (vs[least(lo90 + 1, m - 1) + 1] - vs[lo90 + 1]) * frac90 + 1800000000) // 3600000000) * 0.01 AS p90,
         ((vs[lo99 + 1] * 100 + (vs[least(lo99 + 1, m - 1) + 1] - vs[lo99 + 1]) * frac99 + 1800000000) // 3600000000) * 0.01 AS p99
  FROM positions
), grid AS (
  SELECT m.code AS municipality, s.stage FROM cfg_municipalities m CROSS JOIN cfg_sla s
  UNION ALL
  SELECT 'ALL', s.stage FROM cfg_sla s
)
SELECT
  g.municipality,
  g.stage,
  coalesce(c.n, 0) AS n,
  h.p50::DECIMAL(18,2) AS p50_hours,
  h.p90::DECIMAL(18,2) AS p90_hours,
  h.p99::DECIMAL(18,2) AS p99_hours,
  (((c.max_us + 18000000) // 36000000) * 0.01)::DECIMAL(18,2) AS max_hours,
  coalesce(c.within_sla, 0) AS within_sla,
  coalesce(c.breached, 0) AS breached,
  coalesce(c.in_flight, 0) AS in_flight
FROM grid g
LEFT JOIN counts c ON c.municipality = g.municipality AND c.stage = g.stage
LEFT JOIN hours h ON h.municipality = g.municipality AND h.stage = g.stage
ORDER BY g.municipality = 'ALL', g.municipality, g.stage
