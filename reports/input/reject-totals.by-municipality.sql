-- input/reject-totals.sql -- for every municipality of {{municipalities}} (codes joined by commas) at once, each row led by its __municipality:
-- one row for each, 0 where it has none.
SELECT m.code AS __municipality, count(r.delivery_id) AS n, count(DISTINCT regexp_replace(r.reason, '^linje [0-9]+: ', '')) AS reasons
FROM (SELECT unnest(string_split({{municipalities}}, ',')) AS code) m
LEFT JOIN (SELECT r.*, d.municipality AS __m FROM rejects r
      JOIN (SELECT DISTINCT delivery_id, municipality FROM deliveries WHERE active) d ON d.delivery_id = r.delivery_id) r ON r.__m = m.code
GROUP BY m.code
