-- latency_trend: per stage and Copenhagen date of completion, how many items completed and their p90 in hours, per
-- municipality and for all ('ALL'); negative durations left out. The report's trend chart reads its municipality's
-- last days of it (reports/stages/trend.sql): one pass over latency_items a night instead of one per report.
-- Source: latency_items.
SELECT coalesce(municipality, 'ALL') AS municipality, stage, completed_date, count(*) AS n,
       (quantile_cont(duration_us::DECIMAL(18,0), 0.9) / 3600000000)::DOUBLE AS p90
FROM latency_items
WHERE completed AND duration_us >= 0
GROUP BY GROUPING SETS ((municipality, stage, completed_date), (stage, completed_date))
