-- Rejected rows of the deliveries in effect, as many as the table shows.
SELECT path, line, regexp_replace(reason, '^linje [0-9]+: ', '') AS reason, raw
FROM rejects
WHERE delivery_id IN (SELECT delivery_id FROM deliveries WHERE active AND ({{municipality}} = '' OR municipality = {{municipality}}))
ORDER BY path, line
LIMIT {{table_cap}}
