-- The deliveries that stopped (RULES.md §7): every overdue one, in words, for the banner that opens the report;
-- then the watched deliveries that are in time, for the count. {{municipality}} '' means every municipality.
SELECT municipality, kind, strftime(last_export_date, '%Y-%m-%d') AS last_export_date, banking_days_since, overdue,
       sentence_da, getvariable('max_gap_banking_days') AS max_gap
FROM delivery_status
WHERE ({{municipality}} = '' OR municipality = {{municipality}})
ORDER BY NOT overdue, municipality, kind
