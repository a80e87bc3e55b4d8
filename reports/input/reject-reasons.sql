-- The 30 most frequent reasons for rejected rows of the deliveries in effect.
SELECT reason, count(*) AS n
FROM rejects
WHERE delivery_id IN (SELECT delivery_id FROM deliveries WHERE active AND ({{municipality}} = '' OR municipality = {{municipality}}))
GROUP BY reason
ORDER BY n DESC, reason
LIMIT 30
