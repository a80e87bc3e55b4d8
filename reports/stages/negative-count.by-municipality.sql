-- stages/negative-count.sql -- for every municipality of {{municipalities}} (codes joined by commas) at once, each row led by its __municipality:
-- one row for each, 0 where it has none.
SELECT m.code AS __municipality, count(l.municipality) AS n
FROM (SELECT unnest(string_split({{municipalities}}, ',')) AS code) m LEFT JOIN latency_negative l ON l.municipality = m.code
GROUP BY m.code
