-- stages/trend.sql -- for every municipality of {{municipalities}} (codes joined by commas) at once, each row led by its __municipality:
-- the same rows, in its order within each municipality.
SELECT municipality AS __municipality, stage, strftime(completed_date, '%Y-%m-%d') AS date, n, p90
FROM latency_trend
WHERE municipality IN (SELECT unnest(string_split({{municipalities}}, ','))) AND completed_date > DATE {{trend_from}}
ORDER BY municipality, stage, date
