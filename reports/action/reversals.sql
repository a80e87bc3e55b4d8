-- The reversal proposals (RULES.md §4), as many as the table shows, each with since when it has been proposed: the
-- first_seen of its claim's open over-coverage (R16: the rule whose catalog entry says "reversals", bound as
-- reversal_rule), so a proposal that stays open shows its age (FORMATS.md §8).
SELECT r.municipality, r.claim_id, r.fee_id, r.excess_amount::VARCHAR AS excess_amount, r.coverage_ids, r.payment_ids,
       r.reverse_amount::VARCHAR AS reverse_amount, r.reapply_amount::VARCHAR AS reapply_amount,
       strftime(d.first_seen, '%Y-%m-%dT%H:%M:%SZ') AS proposed_since, d.case_ref, d.handling_status
FROM reversals r
LEFT JOIN discrepancy_states d ON d.rule = {{reversal_rule}} AND d.municipality = r.municipality AND d.key_id = r.claim_id
  AND d.state <> 'resolved'
WHERE ({{municipality}} = '' OR r.municipality = {{municipality}})
ORDER BY r.municipality, r.claim_id
LIMIT {{table_cap}}
