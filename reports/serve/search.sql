-- The served search (FORMATS.md §9) in the user's scope, over the latest recorded run's discrepancies (open ones
-- first, then those it resolved): a case number ($case_ref, 'S-12') matches that case alone; otherwise an id given
-- whole matches exactly (the key or any id column: $text), and a text matches anywhere in the case number, the ids,
-- the description, the assignee or the note (any case). Exact id matches first, then the worklist's order (critical
-- first, the oldest, the largest absolute amount); with the count of all that match, {{limit}} rows from {{offset}}.
SELECT case_ref, rule, severity, municipality, key_id, fee_id, claim_id, payment_id, psp_txn_id, coverage_id,
       amount::VARCHAR AS amount, age_banking_days AS age, strftime(arose_at, '%Y-%m-%dT%H:%M:%SZ') AS arose_at,
       handling_status, handling_due, assignee, detail, state,
       count(*) OVER () AS total
FROM discrepancy_states d
WHERE CASE WHEN $case_ref IS NOT NULL THEN d.case_ref = $case_ref
           ELSE $text IN (d.key_id, d.fee_id, d.claim_id, d.payment_id, d.psp_txn_id, d.coverage_id)
                OR contains(lower(concat_ws(' ', d.case_ref, d.key_id, d.fee_id, d.claim_id, d.payment_id, d.psp_txn_id,
                                            d.coverage_id, d.detail, d.assignee, d.note)), lower($text)) END
ORDER BY d.state = 'resolved', coalesce($text IN (d.key_id, d.fee_id, d.claim_id, d.payment_id, d.psp_txn_id, d.coverage_id), false) DESC,
         d.severity = 'critical' DESC, d.age_banking_days DESC NULLS LAST, abs(d.amount) DESC NULLS LAST,
         d.municipality, d.rule, d.key_id
LIMIT {{limit}} OFFSET {{offset}}
