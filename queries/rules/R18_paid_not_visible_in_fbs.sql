-- R18 paid_not_visible_in_fbs. A fee in scope is still open in FBS although its claim was fully
-- covered in the debtor system (covered >= net > 0) and the debitor_to_fbs deadline from the completion instant has
-- passed: the borrower has paid but the library still shows the debt (and may block the borrower). The
-- library/finance must get the payment status back to FBS. Key fee_id; amount = claim net.
-- Source: RULES.md §3 R18, §1 (completion instant), §2 (debitor_to_fbs); seed 002 (delay 4).
-- incremental: item (its rows read the rows of one fee, claim, payment or transaction and those tied to them)
SELECT
  f.municipality, f.fee_id AS key_id,
  f.fee_id, f.claim_id, NULL::VARCHAR AS payment_id, NULL::VARCHAR AS psp_txn_id, NULL::VARCHAR AS coverage_id,
  f.claim_net::DECIMAL(38,2) AS amount,
  'Gebyret ' || f.fee_id || ' står stadig som åbent i FBS, men fordringen ' || f.claim_id || ' blev fuldt betalt ('
    || da_money(f.claim_net) || ' kr.) i debitorsystemet '
    || da_time(f.claim_completed_at) || '; fristen udløb '
    || da_time(sla_deadline('debitor_to_fbs', f.claim_completed_at)) || '.' AS detail,
  concat_ws('; ', f.src, f.claim_src, f.claim_coverage_srcs) AS lineage,
  sla_deadline('debitor_to_fbs', f.claim_completed_at) AS arose_at
FROM int_fees f
WHERE f.in_scope
  AND f.status = 'open'
  AND f.claim_fully_covered
  AND getvariable('as_of') >= sla_deadline('debitor_to_fbs', f.claim_completed_at)
