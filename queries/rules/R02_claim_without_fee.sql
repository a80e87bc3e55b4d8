-- R02 claim_without_fee. A claim in the debtor system whose source_ref is empty or names no FBS
-- fee of the municipality: the debt cannot be traced back to the library, and FBS will never show it paid. Finance
-- must find the fee (or correct the reference) with the library. Applies to every claim, in scope or not.
-- Key claim_id; amount = principal. Source: RULES.md §3 R02, §1 (match fee <-> claim).
-- incremental: item (its rows read the rows of one fee, claim, payment or transaction and those tied to them)
SELECT
  c.municipality, c.claim_id AS key_id,
  c.source_ref AS fee_id, c.claim_id, NULL::VARCHAR AS payment_id, NULL::VARCHAR AS psp_txn_id, NULL::VARCHAR AS coverage_id,
  c.principal::DECIMAL(38,2) AS amount,
  'Fordringen ' || c.claim_id || ' på ' || da_money(c.principal) || ' kr. (modtaget '
    || da_time(c.received_at) || ') '
    || CASE WHEN c.source_ref IS NULL OR trim(c.source_ref) = ''
            THEN 'har ingen henvisning til et gebyr i FBS.'
            ELSE 'henviser til gebyret ' || c.source_ref || ', som ikke findes i FBS for kommunen.' END AS detail,
  c.src AS lineage,
  c.received_at AS arose_at
FROM int_claims c
WHERE NOT c.fee_exists
