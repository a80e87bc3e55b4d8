-- R07 replacement_cpr_on_prisme. A fee in scope for a borrower with a replacement CPR
-- (erstatnings-CPR: adult_replacement_cpr, child_oa_replacement_cpr, child_replacement_cpr) in a municipality on
-- Prisme 2009 or Prisme 2015: such transfers fail without a manual process, so finance must handle the fee by hand.
-- Key fee_id; amount = fee amount. Source: RULES.md §3 R07; seed 004.
-- incremental: item (its rows read the rows of one fee, claim, payment or transaction and those tied to them)
SELECT
  f.municipality, f.fee_id AS key_id,
  f.fee_id, f.claim_id, NULL::VARCHAR AS payment_id, NULL::VARCHAR AS psp_txn_id, NULL::VARCHAR AS coverage_id,
  f.amount::DECIMAL(38,2) AS amount,
  'Gebyret ' || f.fee_id || ' på ' || da_money(f.amount) || ' kr. (oprettet '
    || da_time(f.created_at) || ') er til en låner med erstatnings-CPR ('
    || CASE f.patron_type WHEN 'adult_replacement_cpr' THEN 'voksen'
                          WHEN 'child_oa_replacement_cpr' THEN 'barn med økonomisk ansvarlig'
                          ELSE 'barn uden økonomisk ansvarlig' END
    || '); kommunens debitorsystem er '
    || CASE f.debtor_system WHEN 'prisme_2009' THEN 'Prisme 2009' ELSE 'Prisme 2015' END
    || ', hvor sådanne overførsler kræver manuel behandling.' AS detail,
  concat_ws('; ', f.src, f.claim_src) AS lineage,
  f.created_at AS arose_at
FROM int_fees f
WHERE f.in_scope
  AND f.patron_type LIKE '%\_replacement\_cpr' ESCAPE '\'
  AND f.debtor_system IN ('prisme_2009', 'prisme_2015')
