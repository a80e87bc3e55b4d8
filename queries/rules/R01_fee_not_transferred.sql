-- R01 fee_not_transferred. A fee in scope (created on or after the municipality's goLive) that
-- is not cancelled has no claim in the debtor system although the fee_to_claim deadline has passed: the citizen
-- cannot pay it through the debtor system. The library/finance staff must get the fee transferred (or cancel it).
-- Key fee_id; amount = fee amount. Source: RULES.md §3 R01, §1 (in scope, SLA deadline); seed 002 (delay 1).
-- incremental: item (its rows read the rows of one fee, claim, payment or transaction and those tied to them)
SELECT
  f.municipality, f.fee_id AS key_id,
  f.fee_id, NULL::VARCHAR AS claim_id, NULL::VARCHAR AS payment_id, NULL::VARCHAR AS psp_txn_id, NULL::VARCHAR AS coverage_id,
  f.amount::DECIMAL(38,2) AS amount,
  'Gebyret ' || f.fee_id || ' på ' || da_money(f.amount) || ' kr. er oprettet i FBS '
    || da_time(f.created_at)
    || ' men er ikke overført til debitorsystemet; fristen udløb '
    || da_time(sla_deadline('fee_to_claim', f.created_at)) || '.' AS detail,
  f.src AS lineage,
  sla_deadline('fee_to_claim', f.created_at) AS arose_at
FROM int_fees f
WHERE f.in_scope
  AND f.status <> 'cancelled'
  AND f.claim_id IS NULL
  AND getvariable('as_of') >= sla_deadline('fee_to_claim', f.created_at)
