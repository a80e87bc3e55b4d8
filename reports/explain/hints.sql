-- What may explain each open discrepancy (queries/marts/discrepancy_hints.sql): its best suggested match (RULES.md §6)
-- and the overdue deliveries that possibly caused it (§7), by (municipality, rule, key). {{municipality}} '' means
-- every municipality.
SELECT municipality, rule, key_id, suggestion, counterpart_id, candidates, overdue_cause
FROM discrepancy_hints
WHERE ({{municipality}} = '' OR municipality = {{municipality}})
ORDER BY municipality, rule, key_id
