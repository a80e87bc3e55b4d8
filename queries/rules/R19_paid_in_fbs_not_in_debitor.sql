-- R19 paid_in_fbs_not_in_debitor. A fee in scope is paid in FBS with payment_source debitor,
-- but its claim is missing or still has outstanding > 0 in the debtor system: FBS shows money that the debtor system
-- has not received. Finance and the library must find the payment. Key fee_id; amount = the claim's outstanding
-- (the fee amount when there is no claim). Source: RULES.md §3 R19; seed 002.
-- incremental: item (its rows read the rows of one fee, claim, payment or transaction and those tied to them)
SELECT
  f.municipality, f.fee_id AS key_id,
  f.fee_id, f.claim_id, NULL::VARCHAR AS payment_id, NULL::VARCHAR AS psp_txn_id, NULL::VARCHAR AS coverage_id,
  coalesce(f.claim_outstanding, f.amount)::DECIMAL(38,2) AS amount,
  'Gebyret ' || f.fee_id || ' på ' || da_money(f.amount) || ' kr. er markeret som betalt via debitorsystemet i FBS '
    || da_time(f.paid_at) || ', men '
    || CASE WHEN f.claim_id IS NULL THEN 'der findes ingen fordring i debitorsystemet.'
            ELSE 'fordringen ' || f.claim_id || ' har stadig en restance på '
                 || da_money(f.claim_outstanding) || ' kr.' END AS detail,
  concat_ws('; ', f.src, f.claim_src) AS lineage,
  greatest(f.paid_at, f.claim_last_moved_at) AS arose_at
FROM int_fees f
WHERE f.in_scope
  AND f.status = 'paid'
  AND f.payment_source = 'debitor'
  AND (f.claim_id IS NULL OR f.claim_outstanding > 0)
