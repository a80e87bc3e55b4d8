-- The rows of the per-rule tables: per rule up to {{rule_table_cap}} open ones (new first) and 25 resolved ones.
WITH ranked AS (
  SELECT d.*, row_number() OVER (PARTITION BY rule, state = 'resolved'
                                 ORDER BY CASE state WHEN 'new' THEN 0 ELSE 1 END, municipality, key_id) AS rn
  FROM discrepancy_states d WHERE ({{municipality}} = '' OR municipality = {{municipality}}))
SELECT rule, severity, municipality, key_id, fee_id, claim_id, payment_id, psp_txn_id, coverage_id,
       amount::VARCHAR AS amount, detail, lineage, strftime(first_seen, '%Y-%m-%dT%H:%M:%SZ') AS first_seen, state,
       strftime(resolved_at, '%Y-%m-%dT%H:%M:%SZ') AS resolved_at
FROM ranked
WHERE rn <= CASE WHEN state = 'resolved' THEN 25 ELSE {{rule_table_cap}} END
ORDER BY rule, state = 'resolved', rn
