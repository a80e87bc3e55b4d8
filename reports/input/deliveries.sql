-- The deliveries in effect (when the summary lists no files).
SELECT path, kind, municipality, strftime(export_date, '%Y-%m-%d') AS export_date, status, rows_read, rows_loaded,
       rows_rejected, extra_columns, message
FROM deliveries
WHERE active AND ({{municipality}} = '' OR municipality = {{municipality}})
ORDER BY path
