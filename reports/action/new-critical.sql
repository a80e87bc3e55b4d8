-- The critical discrepancies that are new since the last run (by the severity the rule's SQL wrote).
SELECT rule, severity, municipality, key_id, fee_id, claim_id, payment_id, psp_txn_id, coverage_id,
       amount::VARCHAR AS amount, detail, lineage, strftime(first_seen, '%Y-%m-%dT%H:%M:%SZ') AS first_seen, state
FROM discrepancy_states
WHERE state = 'new' AND severity = 'critical'
ORDER BY rule, municipality, key_id
LIMIT {{table_cap}}
