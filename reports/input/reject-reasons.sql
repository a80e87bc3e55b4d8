-- Grouped by the reason without its line number ('linje 7: '). The 30 most frequent reasons for rejected rows of the deliveries in effect.
SELECT regexp_replace(reason, '^linje [0-9]+: ', '') AS reason, count(*) AS n
FROM rejects
WHERE delivery_id IN (SELECT delivery_id FROM deliveries WHERE active AND ({{municipality}} = '' OR municipality = {{municipality}}))
GROUP BY 1
ORDER BY n DESC, 1
LIMIT 30
