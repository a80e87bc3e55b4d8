-- R08 minor_in_collection. A claim on the account type for minors without an economically
-- responsible adult (library_fees_minor_without_oa) has been sent to collection (inddrivelse, PSRM): a child's
-- library debt must not go to the state's debt collection. Finance must recall it. Key claim_id; amount =
-- outstanding. Source: RULES.md §3 R08; seed 004.
-- incremental: item (its rows read the rows of one fee, claim, payment or transaction and those tied to them)
SELECT
  c.municipality, c.claim_id AS key_id,
  c.source_ref AS fee_id, c.claim_id, NULL::VARCHAR AS payment_id, NULL::VARCHAR AS psp_txn_id, NULL::VARCHAR AS coverage_id,
  c.outstanding::DECIMAL(38,2) AS amount,
  'Fordringen ' || c.claim_id || ' tilhører en mindreårig uden økonomisk ansvarlig, men blev sendt til inddrivelse '
    || da_time(c.collection_sent_at) || '; restance '
    || da_money(c.outstanding) || ' kr.' AS detail,
  concat_ws('; ', c.src, c.fee_src) AS lineage,
  c.collection_sent_at AS arose_at
FROM int_claims c
WHERE c.account_type = 'library_fees_minor_without_oa' AND c.collection_sent_at IS NOT NULL
