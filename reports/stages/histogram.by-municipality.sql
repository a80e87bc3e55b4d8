-- stages/histogram.sql -- for every municipality of {{municipalities}} (codes joined by commas) at once, each row led by its __municipality:
-- the same rows in the table's order (a filter of one table keeps it, as the query does).
SELECT municipality AS __municipality, stage, bin, within_sla, n
FROM latency_histogram
WHERE municipality IN (SELECT unnest(string_split({{municipalities}}, ',')))
