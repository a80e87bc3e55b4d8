-- Rejected rows of the deliveries in effect, as many as the table shows.
SELECT path, line, reason, raw
FROM rejects
WHERE delivery_id IN (SELECT delivery_id FROM deliveries WHERE active AND ({{municipality}} = '' OR municipality = {{municipality}}))
ORDER BY path, line
LIMIT {{table_cap}}
