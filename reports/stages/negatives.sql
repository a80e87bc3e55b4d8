-- The items that end before they begin, as many as the table shows.
SELECT municipality, stage, id, hours, strftime(start_at, '%Y-%m-%dT%H:%M:%SZ') AS start_at,
       strftime(end_at, '%Y-%m-%dT%H:%M:%SZ') AS end_at
FROM latency_negative
WHERE ({{municipality}} = '' OR municipality = {{municipality}})
ORDER BY municipality, stage, id
LIMIT {{table_cap}}
