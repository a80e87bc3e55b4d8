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
-- The two neighbours of each position are found without sorting a group's durations (issue 27: sorting each group's
-- list held all of them in memory, outside DuckDB's limit, and sorted the 'ALL' groups on one thread): one pass counts
-- the durations per minute (with the counts above, per municipality; 'ALL' sums the municipalities' rows), the
-- running count finds the minute that holds each wanted rank, and a second pass counts the distinct durations of
-- those few minutes only, whose running count gives the value at the rank. Ranks are 0-based: the value below the
-- position is rank (m-1)*q // 100, the one above it the next (the same when there is none).
-- Source: latency_items, cfg_municipalities, cfg_sla; RULES.md §2, FORMATS.md §7.
WITH per AS (
  -- one pass over the items: the counts, and the completed non-negative durations per minute
  SELECT municipality, stage,
         CASE WHEN completed AND duration_us >= 0 THEN duration_us // 60000000 END AS b,
         count(*) FILTER (WHERE completed) AS n,
         count(*) FILTER (WHERE completed AND duration_us >= 0) AS nb,
         max(duration_us) FILTER (WHERE completed AND duration_us >= 0) AS max_us,
         count(*) FILTER (WHERE within_sla) AS within_sla,
         count(*) FILTER (WHERE breached) AS breached,
         count(*) FILTER (WHERE in_flight) AS in_flight
  FROM latency_items
  GROUP BY ALL
), per_all AS (
  SELECT municipality, stage, b, n, nb, max_us, within_sla, breached, in_flight FROM per
  UNION ALL
  SELECT 'ALL', stage, b, sum(n), sum(nb), max(max_us), sum(within_sla), sum(breached), sum(in_flight) FROM per GROUP BY stage, b
), counts AS (
  SELECT municipality, stage, sum(n)::BIGINT AS n, max(max_us) AS max_us, sum(within_sla)::BIGINT AS within_sla,
         sum(breached)::BIGINT AS breached, sum(in_flight)::BIGINT AS in_flight
  FROM per_all GROUP BY municipality, stage
), minutes AS (
  -- each minute's durations and how many come before it in its group; m = the group's count
  SELECT municipality, stage, b, nb,
         (sum(nb) OVER (PARTITION BY municipality, stage ORDER BY b ROWS UNBOUNDED PRECEDING) - nb)::BIGINT AS before,
         (sum(nb) OVER (PARTITION BY municipality, stage))::BIGINT AS m
  FROM per_all WHERE b IS NOT NULL AND nb > 0
), positions AS (
  -- for each group and quantile: the rank below the position, the one above it, and the hundredths between
  SELECT municipality, stage, q, m, ((m - 1) * q) // 100 AS lo, least(((m - 1) * q) // 100 + 1, m - 1) AS hi, ((m - 1) * q) % 100 AS frac
  FROM (SELECT DISTINCT municipality, stage, m FROM minutes) CROSS JOIN (VALUES (50), (90), (99)) v(q)
), wanted AS (
  -- the minute that holds each wanted rank, and the rank within the minute
  SELECT w.municipality, w.stage, w.r, t.b, w.r - t.before AS k
  FROM (SELECT DISTINCT municipality, stage, unnest([lo, hi]) AS r FROM positions) w
  JOIN minutes t ON t.municipality = w.municipality AND t.stage = w.stage AND w.r >= t.before AND w.r < t.before + t.nb
), fine AS (
  -- the second pass: the distinct durations of the wanted minutes, with their counts (a municipality's minute also
  -- when only 'ALL' wants it)
  SELECT municipality, stage, duration_us // 60000000 AS b, duration_us AS d, count(*) AS n
  FROM latency_items
  WHERE completed AND duration_us >= 0 AND (stage, duration_us // 60000000) IN (SELECT stage, b FROM wanted)
  GROUP BY ALL
), fine_all AS (
  SELECT municipality, stage, b, d, n FROM fine
  UNION ALL
  SELECT 'ALL', stage, b, d, sum(n) FROM fine GROUP BY stage, b, d
), ranked AS (
  SELECT municipality, stage, b, d, n,
         sum(n) OVER (PARTITION BY municipality, stage, b ORDER BY d ROWS UNBOUNDED PRECEDING) - n AS before
  FROM fine_all
), value_at AS (
  SELECT w.municipality, w.stage, w.r, f.d
  FROM wanted w
  JOIN ranked f ON f.municipality = w.municipality AND f.stage = w.stage AND f.b = w.b AND w.k >= f.before AND w.k < f.before + f.n
), quantiles AS (
  SELECT p.municipality, p.stage, p.q,
         ((lo.d * 100 + (hi.d - lo.d) * p.frac + 1800000000) // 3600000000) * 0.01 AS h
  FROM positions p
  JOIN value_at lo ON lo.municipality = p.municipality AND lo.stage = p.stage AND lo.r = p.lo
  JOIN value_at hi ON hi.municipality = p.municipality AND hi.stage = p.stage AND hi.r = p.hi
), hours AS (
  SELECT municipality, stage, any_value(h) FILTER (WHERE q = 50) AS p50, any_value(h) FILTER (WHERE q = 90) AS p90,
         any_value(h) FILTER (WHERE q = 99) AS p99
  FROM quantiles GROUP BY municipality, stage
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
