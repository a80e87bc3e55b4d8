-- Completed items per stage, duration bin (1 … 9, see the stages section) and SLA outcome; negative durations left out.
SELECT stage,
       CASE WHEN h < 1 THEN 1 WHEN h < 4 THEN 2 WHEN h < 8 THEN 3 WHEN h < 24 THEN 4 WHEN h < 48 THEN 5
            WHEN h < 72 THEN 6 WHEN h < 120 THEN 7 WHEN h < 240 THEN 8 ELSE 9 END AS bin,
       within_sla, count(*) AS n
FROM (SELECT stage, within_sla, duration_us / 3600000000.0 AS h FROM latency_items WHERE completed AND duration_us >= 0 AND ({{municipality}} = '' OR municipality = {{municipality}}))
GROUP BY ALL
