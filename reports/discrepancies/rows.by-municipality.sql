-- discrepancies/rows.sql -- for every municipality of {{municipalities}} (codes joined by commas) at once, each row led by its __municipality:
-- each municipality's rows of the per-rule tables, ranked within it, in its order.
WITH ranked AS (
  SELECT d.*, row_number() OVER (PARTITION BY municipality, rule, state = 'resolved'
                                 ORDER BY CASE state WHEN 'new' THEN 0 ELSE 1 END, municipality, key_id) AS rn
  FROM discrepancy_states d WHERE municipality IN (SELECT unnest(string_split({{municipalities}}, ','))))
SELECT municipality AS __municipality, rule, severity, municipality, key_id, fee_id, claim_id, payment_id, psp_txn_id, coverage_id,
       amount::VARCHAR AS amount, detail, lineage, strftime(first_seen, '%Y-%m-%dT%H:%M:%SZ') AS first_seen, state,
       strftime(resolved_at, '%Y-%m-%dT%H:%M:%SZ') AS resolved_at
FROM ranked
WHERE rn <= CASE WHEN state = 'resolved' THEN 25 ELSE {{rule_table_cap}} END
ORDER BY municipality, rule, state = 'resolved', rn
