-- Daily p90 per stage by the local date of completion, after {{trend_from}} (asOf less the trend's days).
SELECT stage, strftime(completed_date, '%Y-%m-%d') AS date, count(*) AS n,
       (quantile_cont(duration_us::DECIMAL(18,0), 0.9) / 3600000000)::DOUBLE AS p90
FROM latency_items
WHERE ({{municipality}} = '' OR municipality = {{municipality}}) AND completed AND duration_us >= 0 AND completed_date > DATE {{trend_from}}
GROUP BY ALL
ORDER BY stage, date
