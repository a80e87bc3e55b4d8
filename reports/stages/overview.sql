-- The four stages, all municipalities together.
SELECT stage, n, p50_hours::VARCHAR AS p50, p90_hours::VARCHAR AS p90, p99_hours::VARCHAR AS p99, max_hours::VARCHAR AS max,
       within_sla, breached, in_flight
FROM latency
WHERE municipality = CASE WHEN {{municipality}} = '' THEN 'ALL' ELSE {{municipality}} END
