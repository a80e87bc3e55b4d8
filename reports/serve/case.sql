-- One case of the served worklist (FORMATS.md §9) in the user's scope: the latest recorded run's row of case
-- $case_ref with its handling as it stands now, and what may explain it: the best suggested match (RULES.md §6) with
-- the case of the other side when that is open in the scope (R10 ↔ R11, R01 ↔ R02, as the suggestions pair them),
-- and the overdue deliveries that possibly caused it (§7). No row when the case is not in the scope: another
-- municipality's case reads as one that does not exist.
SELECT d.case_ref, d.rule, d.severity, d.municipality, d.key_id, d.fee_id, d.claim_id, d.payment_id, d.psp_txn_id,
       d.coverage_id, d.amount::VARCHAR AS amount, d.detail, d.lineage, d.age_banking_days AS age,
       strftime(d.arose_at, '%Y-%m-%dT%H:%M:%SZ') AS arose_at, strftime(d.first_seen, '%Y-%m-%dT%H:%M:%SZ') AS first_seen,
       d.state, strftime(d.resolved_at, '%Y-%m-%dT%H:%M:%SZ') AS resolved_at,
       d.handling_status, d.assignee, d.note, CAST(d.follow_up AS VARCHAR) AS follow_up, d.handled_by,
       strftime(d.handled_at, '%Y-%m-%dT%H:%M:%SZ') AS handled_at, d.handling_due,
       h.suggestion, h.counterpart_id, h.candidates, h.overdue_cause,
       (SELECT min(c.case_ref) FROM discrepancy_states c
        WHERE c.municipality = d.municipality AND c.key_id = h.counterpart_id AND c.state <> 'resolved'
          AND c.rule = CASE d.rule WHEN 'R10' THEN 'R11' WHEN 'R11' THEN 'R10' WHEN 'R01' THEN 'R02' WHEN 'R02' THEN 'R01' END
       ) AS counterpart_case
FROM discrepancy_states d
LEFT JOIN discrepancy_hints h ON h.municipality = d.municipality AND h.rule = d.rule AND h.key_id = d.key_id
WHERE d.case_ref = $case_ref
