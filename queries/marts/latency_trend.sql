-- latency_trend: per stage and Copenhagen date of completion, how many items completed and their p90 in hours, per
-- municipality and for all ('ALL'); negative durations left out. The report's trend chart reads its municipality's
-- last days of it (reports/stages/trend.sql): one pass over latency_items a night instead of one per report.
-- Only the days the chart shows, and one more: completed on or after asOf's Copenhagen date less trend_days (the
-- report takes the days after it; src/pipeline/context.ts TREND_DAYS). The whole history's quantiles were most of the
-- mart's time (10M fees: a year of days).
-- Source: latency_items.
SELECT coalesce(municipality, 'ALL') AS municipality, stage, completed_date, count(*) AS n,
       (quantile_cont(duration_us::DECIMAL(18,0), 0.9) / 3600000000)::DOUBLE AS p90
FROM latency_items
WHERE completed AND duration_us >= 0 AND completed_date >= cph_date(getvariable('as_of')) - getvariable('trend_days')
GROUP BY GROUPING SETS ((municipality, stage, completed_date), (stage, completed_date))
