-- R09 not_payable. In a municipality with a payment solution, a claim with outstanding > 0 has no
-- invoice (fakturabilag) in the payment solution although the claim_to_payable deadline from its received_at has
-- passed: the citizen cannot pay it by MobilePay or card. Finance must make it payable (the Copenhagen invoice-rule
-- problem). Key claim_id; amount = outstanding. Source: RULES.md §3 R09, §2 (claim_to_payable); seed 004.
-- incremental: item (its rows read the rows of one fee, claim, payment or transaction and those tied to them)
SELECT
  c.municipality, c.claim_id AS key_id,
  c.source_ref AS fee_id, c.claim_id, NULL::VARCHAR AS payment_id, NULL::VARCHAR AS psp_txn_id, NULL::VARCHAR AS coverage_id,
  c.outstanding::DECIMAL(38,2) AS amount,
  'Fordringen ' || c.claim_id || ' (modtaget ' || da_time(c.received_at)
    || ', restance ' || da_money(c.outstanding)
    || ' kr.) er ikke gjort betalbar i betalingsløsningen; fristen udløb '
    || da_time(sla_deadline('claim_to_payable', c.received_at)) || '.' AS detail,
  concat_ws('; ', c.src, c.fee_src) AS lineage,
  sla_deadline('claim_to_payable', c.received_at) AS arose_at
FROM int_claims c
WHERE c.has_payment_solution
  AND c.outstanding > 0
  AND c.n_invoices = 0
  AND getvariable('as_of') >= sla_deadline('claim_to_payable', c.received_at)
