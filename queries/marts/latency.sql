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
-- items is NOT MATERIALIZED: read three times, DuckDB would otherwise hold all of it in memory (10M fees: 11.5 s → 4.4 s).
-- Source: latency_items, cfg_municipalities, cfg_sla; RULES.md §2, FORMATS.md §7.
WITH items AS NOT MATERIALIZED (
  SELECT municipality, stage, completed, within_sla, breached, in_flight, duration_us FROM latency_items
  UNION ALL
  SELECT 'ALL', stage, completed, within_sla, breached, in_flight, duration_us FROM latency_items
), counts AS (
  SELECT municipality, stage,
         count(*) FILTER (WHERE completed) AS n,
         max(duration_us) FILTER (WHERE completed AND duration_us >= 0) AS max_us,
         count(*) FILTER (WHERE within_sla) AS within_sla,
         count(*) FILTER (WHERE breached) AS breached,
         count(*) FILTER (WHERE in_flight) AS in_flight
  FROM items
  GROUP BY municipality, stage
), ranked AS (
  SELECT municipality, stage, duration_us AS v,
         row_number() OVER (PARTITION BY municipality, stage ORDER BY duration_us) - 1 AS i
  FROM items
  WHERE completed AND duration_us >= 0
), positions AS (
  -- for each group and quantile: the index below the position, the one above it, and the hundredths between
  SELECT c.municipality, c.stage, q.q, c.m,
         ((c.m - 1) * q.q) // 100 AS lo,
         least(((c.m - 1) * q.q) // 100 + 1, c.m - 1) AS hi,
         ((c.m - 1) * q.q) % 100 AS frac
  FROM (SELECT municipality, stage, count(*) AS m FROM items WHERE completed AND duration_us >= 0 GROUP BY ALL) c
  CROSS JOIN (VALUES (50), (90), (99)) q(q)
), wanted AS (
  SELECT municipality, stage, q, lo AS i, 'lo' AS side FROM positions
  UNION ALL
  SELECT municipality, stage, q, hi AS i, 'hi' AS side FROM positions
), quant AS (
  SELECT p.municipality, p.stage, p.q, p.frac,
         max(r.v) FILTER (WHERE w.side = 'lo') AS v_lo,
         max(r.v) FILTER (WHERE w.side = 'hi') AS v_hi
  FROM positions p
  JOIN wanted w ON w.municipality = p.municipality AND w.stage = p.stage AND w.q = p.q
  JOIN ranked r ON r.municipality = w.municipality AND r.stage = w.stage AND r.i = w.i
  GROUP BY p.municipality, p.stage, p.q, p.frac
), hours AS (
  SELECT municipality, stage,
         max(h) FILTER (WHERE q = 50) AS p50,
         max(h) FILTER (WHERE q = 90) AS p90,
         max(h) FILTER (WHERE q = 99) AS p99
  FROM (
    SELECT municipality, stage, q,
           ((v_lo * 100 + (v_hi - v_lo) * frac + 1800000000) // 3600000000) * 0.01 AS h
    FROM quant
  )
  GROUP BY municipality, stage
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
