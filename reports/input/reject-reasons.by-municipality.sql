-- input/reject-reasons.sql -- for every municipality of {{municipalities}} (codes joined by commas) at once, each row led by its __municipality:
-- each municipality's 30 most frequent reasons, in its order.
SELECT d.municipality AS __municipality, regexp_replace(r.reason, '^linje [0-9]+: ', '') AS reason, count(*) AS n
FROM rejects r
JOIN (SELECT DISTINCT delivery_id, municipality FROM deliveries WHERE active) d ON d.delivery_id = r.delivery_id
WHERE d.municipality IN (SELECT unnest(string_split({{municipalities}}, ',')))
GROUP BY d.municipality, 2
QUALIFY row_number() OVER (PARTITION BY d.municipality ORDER BY count(*) DESC, regexp_replace(r.reason, '^linje [0-9]+: ', '')) <= 30
ORDER BY d.municipality, n DESC, 2
