-- latency_negative: the completed items whose end lies before their start, a clock problem in one of the systems
-- (for instance a fee marked paid in FBS before the debtor system finished covering its claim). They count in n and
-- within_sla of latency.csv but not in its quantiles or max; summary.json lists them under negativeDurations as
-- {municipality, stage, id, hours}, hours a string rounded half away from zero to two decimals ('-0.75'; '-0.00'
-- for less than 18 seconds, so the sign still shows). Source: latency_items; RULES.md §2, FORMATS.md §7.
-- kept: summary.json (negativeDurations) and the report read it after the run
SELECT
  municipality,
  stage,
  item_id AS id,
  '-' || (((abs(duration_us) + 18000000) // 36000000) * 0.01)::DECIMAL(18,2)::VARCHAR AS hours,
  start_at,
  end_at,
  lineage_paths(lineage, p.m) AS lineage
FROM latency_items
CROSS JOIN src_paths p
WHERE negative
ORDER BY municipality, stage, id
