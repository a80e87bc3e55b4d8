-- stages/negatives.sql -- for every municipality of {{municipalities}} (codes joined by commas) at once, each row led by its __municipality:
-- as many of each municipality's as the table shows, in its order.
SELECT municipality AS __municipality, municipality, stage, id, hours, strftime(start_at, '%Y-%m-%dT%H:%M:%SZ') AS start_at,
       strftime(end_at, '%Y-%m-%dT%H:%M:%SZ') AS end_at
FROM latency_negative
WHERE municipality IN (SELECT unnest(string_split({{municipalities}}, ',')))
QUALIFY row_number() OVER (PARTITION BY municipality ORDER BY stage, id) <= {{table_cap}}
ORDER BY municipality, stage, id
