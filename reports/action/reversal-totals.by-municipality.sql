-- action/reversal-totals.sql -- for every municipality of {{municipalities}} (codes joined by commas) at once, each row led by its __municipality:
-- one row for each, 0 where it has none.
SELECT m.code AS __municipality, count(r.municipality) AS n, coalesce(sum(r.excess_amount), 0)::DECIMAL(38,2)::VARCHAR AS excess
FROM (SELECT unnest(string_split({{municipalities}}, ',')) AS code) m LEFT JOIN reversals r ON r.municipality = m.code
GROUP BY m.code
