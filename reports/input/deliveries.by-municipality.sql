-- input/deliveries.sql -- for every municipality of {{municipalities}} (codes joined by commas) at once, each row led by its __municipality:
-- the same rows, in its order within each municipality.
SELECT municipality AS __municipality, path, kind, municipality, strftime(export_date, '%Y-%m-%d') AS export_date, status,
       rows_read, rows_loaded, rows_rejected, extra_columns, message
FROM deliveries
WHERE active AND municipality IN (SELECT unnest(string_split({{municipalities}}, ',')))
ORDER BY municipality, path
