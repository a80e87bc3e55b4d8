-- latency_histogram: the completed items of each stage by duration bin (1: under 1 hour … 9: 240 hours or more, the
-- stages section's bins) and SLA outcome, per municipality and for all ('ALL'); negative durations left out. The
-- report's histogram reads its municipality's rows (reports/stages/histogram.sql): one pass over latency_items a
-- night instead of one per report.
-- Source: latency_items.
SELECT coalesce(municipality, 'ALL') AS municipality, stage, bin, within_sla, count(*) AS n
FROM (
  SELECT municipality, stage, within_sla,
         CASE WHEN h < 1 THEN 1 WHEN h < 4 THEN 2 WHEN h < 8 THEN 3 WHEN h < 24 THEN 4 WHEN h < 48 THEN 5
              WHEN h < 72 THEN 6 WHEN h < 120 THEN 7 WHEN h < 240 THEN 8 ELSE 9 END AS bin
  FROM (SELECT municipality, stage, within_sla, duration_us / 3600000000.0 AS h FROM latency_items WHERE completed AND duration_us >= 0)
)
GROUP BY GROUPING SETS ((municipality, stage, bin, within_sla), (stage, bin, within_sla))
