-- action/reversals.sql -- for every municipality of {{municipalities}} (codes joined by commas) at once, each row led by its __municipality:
-- as many of each municipality's as the table shows, in its order.
SELECT r.municipality AS __municipality, r.municipality, r.claim_id, r.fee_id, r.excess_amount::VARCHAR AS excess_amount, r.coverage_ids, r.payment_ids,
       r.reverse_amount::VARCHAR AS reverse_amount, r.reapply_amount::VARCHAR AS reapply_amount,
       strftime(d.first_seen, '%Y-%m-%dT%H:%M:%SZ') AS proposed_since, d.case_ref, d.handling_status
FROM reversals r
LEFT JOIN discrepancy_states d ON d.rule = {{reversal_rule}} AND d.municipality = r.municipality AND d.key_id = r.claim_id
  AND d.state <> 'resolved'
WHERE r.municipality IN (SELECT unnest(string_split({{municipalities}}, ',')))
QUALIFY row_number() OVER (PARTITION BY r.municipality ORDER BY r.claim_id) <= {{table_cap}}
ORDER BY r.municipality, r.claim_id
