-- R06 wrong_account_type. The claim (THE matched claim) sits on the wrong debtor account type for
-- the borrower (adult_* and company_cvr -> library_fees; child_oa_* -> library_fees_minor_with_oa; child_cpr and
-- child_replacement_cpr -> library_fees_minor_without_oa) or has another claim type than the fee type. Wrong types
-- break the debtor system's rules (e.g. a child's debt sent to collection). Finance must move or retype the claim.
-- The detail names the types by seed 004's Danish titles. Key claim_id; no amount.
-- Source: RULES.md §3 R06; seed 004 (account and claim types for library claims).
-- incremental: item (its rows read the rows of one fee, claim, payment or transaction and those tied to them)
WITH p AS (
  SELECT c.*,
         CASE WHEN c.fee_patron_type LIKE 'adult\_%' ESCAPE '\' OR c.fee_patron_type = 'company_cvr' THEN 'library_fees'
              WHEN c.fee_patron_type LIKE 'child\_oa\_%' ESCAPE '\' THEN 'library_fees_minor_with_oa'
              WHEN c.fee_patron_type IN ('child_cpr', 'child_replacement_cpr') THEN 'library_fees_minor_without_oa'
         END AS expected_account_type
  FROM int_claims c
  WHERE c.is_the_claim
), titles AS (
  SELECT * FROM (VALUES
    ('library_fees', 'Biblioteksgebyrer og erstatninger'),
    ('library_fees_minor_with_oa', 'Biblioteksgebyrer og erstatninger for personer under grænsealder med økonomisk ansvarlig'),
    ('library_fees_minor_without_oa', 'Biblioteksgebyrer og erstatninger for personer under grænsealder uden økonomisk ansvarlig'),
    ('overdue_fee', 'Biblioteksgebyr, overskredet lånetid'),
    ('replacement_ack', 'Bibliotekserstatningskrav med anerkendelse eller kvittering'),
    ('replacement_no_ack', 'Bibliotekserstatningskrav uden anerkendelse eller kvittering'),
    ('adult_cpr', 'voksen med CPR-nummer'),
    ('adult_replacement_cpr', 'voksen med erstatnings-CPR'),
    ('company_cvr', 'virksomhed med CVR-nummer'),
    ('child_oa_cpr', 'barn med økonomisk ansvarlig, CPR-nummer'),
    ('child_oa_replacement_cpr', 'barn med økonomisk ansvarlig, erstatnings-CPR'),
    ('child_cpr', 'barn uden økonomisk ansvarlig, CPR-nummer'),
    ('child_replacement_cpr', 'barn uden økonomisk ansvarlig, erstatnings-CPR')
  ) t(code, title)
)
SELECT
  p.municipality, p.claim_id AS key_id,
  p.source_ref AS fee_id, p.claim_id, NULL::VARCHAR AS payment_id, NULL::VARCHAR AS psp_txn_id, NULL::VARCHAR AS coverage_id,
  NULL::DECIMAL(38,2) AS amount,
  'Fordringen ' || p.claim_id || ' (gebyr ' || p.source_ref || '): '
    || concat_ws(' ',
         CASE WHEN p.account_type IS DISTINCT FROM p.expected_account_type THEN
           'Den står på debitorkontotypen "' || coalesce(ta.title, p.account_type, '(ingen)') || '", men låneren ('
           || coalesce(tp.title, p.fee_patron_type, '(ukendt)') || ') hører til "'
           || coalesce(te.title, p.expected_account_type, '(ukendt)') || '".' END,
         CASE WHEN p.claim_type IS DISTINCT FROM p.fee_fee_type THEN
           'Fordringskravtypen er "' || coalesce(tc.title, p.claim_type, '(ingen)') || '", men gebyrets kravtype i FBS er "'
           || coalesce(tf.title, p.fee_fee_type, '(ingen)') || '".' END) AS detail,
  concat_ws('; ', p.fee_src, p.src) AS lineage,
  greatest(p.fee_created_at, p.received_at) AS arose_at
FROM p
LEFT JOIN titles ta ON ta.code = p.account_type
LEFT JOIN titles te ON te.code = p.expected_account_type
LEFT JOIN titles tp ON tp.code = p.fee_patron_type
LEFT JOIN titles tc ON tc.code = p.claim_type
LEFT JOIN titles tf ON tf.code = p.fee_fee_type
WHERE p.account_type IS DISTINCT FROM p.expected_account_type OR p.claim_type IS DISTINCT FROM p.fee_fee_type
