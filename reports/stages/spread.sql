-- Each municipality's p90 per stage, with its breach rate and a stable jitter for the dot plot.
SELECT stage, municipality, p90_hours::DOUBLE AS p90,
       breached / nullif(within_sla + breached, 0) AS breach_rate,
       0.1 + 0.8 * ((hash(municipality) % 1000) / 1000.0) AS jitter
FROM latency
WHERE municipality <> 'ALL' AND p90_hours IS NOT NULL AND ({{municipality}} = '' OR municipality = {{municipality}})
