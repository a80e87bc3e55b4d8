-- Rejected rows of the deliveries in effect: how many, and how many different reasons.
SELECT count(*) AS n, count(DISTINCT regexp_replace(reason, '^linje [0-9]+: ', '')) AS reasons
FROM rejects
WHERE delivery_id IN (SELECT delivery_id FROM deliveries WHERE active AND ({{municipality}} = '' OR municipality = {{municipality}}))
