-- explain/hints.sql -- for every municipality of {{municipalities}} (codes joined by commas) at once, each row led by its __municipality:
-- the same rows, in its order within each municipality.
SELECT municipality AS __municipality, municipality, rule, key_id, suggestion, counterpart_id, candidates, overdue_cause
FROM discrepancy_hints
WHERE municipality IN (SELECT unnest(string_split({{municipalities}}, ',')))
ORDER BY municipality, rule, key_id
