-- Daily p90 per stage by the local date of completion, after {{trend_from}} (asOf less the trend's days): the
-- municipality's rows of the latency_trend mart, or all municipalities' ('ALL').
SELECT stage, strftime(completed_date, '%Y-%m-%d') AS date, n, p90
FROM latency_trend
WHERE municipality = CASE WHEN {{municipality}} = '' THEN 'ALL' ELSE {{municipality}} END AND completed_date > DATE {{trend_from}}
ORDER BY stage, date
