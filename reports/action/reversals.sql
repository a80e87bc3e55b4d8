-- The reversal proposals (RULES.md §4), as many as the table shows.
SELECT municipality, claim_id, fee_id, excess_amount::VARCHAR AS excess_amount, coverage_ids, payment_ids,
       reverse_amount::VARCHAR AS reverse_amount, reapply_amount::VARCHAR AS reapply_amount
FROM reversals
WHERE ({{municipality}} = '' OR municipality = {{municipality}})
ORDER BY municipality, claim_id
LIMIT {{table_cap}}
