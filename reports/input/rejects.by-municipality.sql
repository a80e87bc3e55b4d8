-- input/rejects.sql -- for every municipality of {{municipalities}} (codes joined by commas) at once, each row led by its __municipality:
-- as many of each municipality's as the table shows, in its order.
SELECT d.municipality AS __municipality, r.path, r.line, regexp_replace(r.reason, '^linje [0-9]+: ', '') AS reason, r.raw
FROM rejects r
JOIN (SELECT DISTINCT delivery_id, municipality FROM deliveries WHERE active) d ON d.delivery_id = r.delivery_id
WHERE d.municipality IN (SELECT unnest(string_split({{municipalities}}, ',')))
QUALIFY row_number() OVER (PARTITION BY d.municipality ORDER BY r.path, r.line) <= {{table_cap}}
ORDER BY d.municipality, r.path, r.line
