-- stages/overview.sql -- for every municipality of {{municipalities}} (codes joined by commas) at once, each row led by its __municipality:
-- the same rows in the table's order (a filter of one table keeps it, as the query does).
SELECT municipality AS __municipality, stage, n, p50_hours::VARCHAR AS p50, p90_hours::VARCHAR AS p90, p99_hours::VARCHAR AS p99,
       max_hours::VARCHAR AS max, within_sla, breached, in_flight
FROM latency
WHERE municipality IN (SELECT unnest(string_split({{municipalities}}, ',')))
