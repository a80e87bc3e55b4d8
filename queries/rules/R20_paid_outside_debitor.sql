-- R20 paid_outside_debitor. A fee in scope is paid in FBS with another payment_source than the
-- debtor system (manual, cash, ddb_cms, app): new fees can only be paid through the debtor system, so the claim
-- there may still be charged. The library must stop such payments and finance must settle the claim.
-- Key fee_id; amount = fee amount. Source: RULES.md §3 R20; seed 002.
-- incremental: item (its rows read the rows of one fee, claim, payment or transaction and those tied to them)
SELECT
  f.municipality, f.fee_id AS key_id,
  f.fee_id, f.claim_id, NULL::VARCHAR AS payment_id, NULL::VARCHAR AS psp_txn_id, NULL::VARCHAR AS coverage_id,
  f.amount::DECIMAL(38,2) AS amount,
  'Gebyret ' || f.fee_id || ' på ' || da_money(f.amount) || ' kr. er betalt i FBS '
    || da_time(f.paid_at) || ' med betalingskilden '
    || coalesce(f.payment_source, '(ukendt)')
    || '; gebyrer oprettet efter skæringsdatoen kan kun betales via debitorsystemet.' AS detail,
  concat_ws('; ', f.src, f.claim_src) AS lineage,
  f.paid_at AS arose_at
FROM int_fees f
WHERE f.in_scope
  AND f.status = 'paid'
  AND f.payment_source IS DISTINCT FROM 'debitor'
