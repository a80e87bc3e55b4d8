-- Every row of the worklist (FORMATS.md §8), for the detail table the page filters, sorts and pages itself:
-- oldest critical first, as the groups are, then the largest absolute amount (RULES.md §3). {{municipality}} ''
-- means every municipality. handling_due marks an awaiting discrepancy whose follow-up date has passed (overdue);
-- assignee and handled_by as recorded.
SELECT case_ref, rule, severity, municipality, key_id, fee_id, claim_id, payment_id, psp_txn_id, coverage_id,
       amount::VARCHAR AS amount, age_banking_days AS age, strftime(arose_at, '%Y-%m-%dT%H:%M:%SZ') AS arose_at,
       handling_status, detail, handling_due, assignee
FROM discrepancy_states d
WHERE state <> 'resolved' AND severity IN ('critical', 'warning') AND (handling_status IN ('open', 'in_progress') OR handling_due)
  AND ({{municipality}} = '' OR municipality = {{municipality}})
ORDER BY d.severity = 'critical' DESC, d.age_banking_days DESC NULLS LAST, abs(d.amount) DESC NULLS LAST, d.municipality, d.rule, d.key_id
