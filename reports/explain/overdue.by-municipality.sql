-- explain/overdue.sql -- for every municipality of {{municipalities}} (codes joined by commas) at once, each row led by its __municipality:
-- the same rows, in its order within each municipality.
SELECT municipality AS __municipality, municipality, kind, strftime(last_export_date, '%Y-%m-%d') AS last_export_date,
       banking_days_since, overdue, sentence_da, getvariable('max_gap_banking_days') AS max_gap
FROM delivery_status
WHERE municipality IN (SELECT unnest(string_split({{municipalities}}, ',')))
ORDER BY municipality, NOT overdue, kind
