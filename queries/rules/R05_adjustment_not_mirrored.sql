-- R05 adjustment_not_mirrored. Fee and claim started equal (R04 not firing) but a reduction or
-- cancellation on one side was not mirrored on the other: fee net <> claim net, and the fee_to_claim deadline counted
-- from the latest adjustment on either side (FBS adjustment created_at, debitor adjustment registered_at, the fee's
-- cancelled_at when it is cancelled) has passed. The citizen owes a different amount in the two systems; the
-- library or finance must register the missing reduction. Key claim_id; amount = claim net - fee net.
-- Source: RULES.md §3 R05, §1 (fee net, claim net).
-- incremental: item (its rows read the rows of one fee, claim, payment or transaction and those tied to them)
WITH p AS (
  SELECT c.*,
         greatest(c.fee_last_adjusted_at, c.last_adjusted_at,
                  CASE WHEN c.fee_status = 'cancelled' THEN c.fee_cancelled_at END) AS latest_adjustment_at
  FROM int_claims c
  WHERE c.is_the_claim AND c.principal = c.fee_amount AND c.net <> c.fee_net
)
SELECT
  p.municipality, p.claim_id AS key_id,
  p.source_ref AS fee_id, p.claim_id, NULL::VARCHAR AS payment_id, NULL::VARCHAR AS psp_txn_id, NULL::VARCHAR AS coverage_id,
  (p.net - p.fee_net)::DECIMAL(38,2) AS amount,
  'Gebyret ' || p.source_ref || ' står til ' || da_money(p.fee_net) || ' kr. i FBS'
    || CASE WHEN p.fee_status = 'cancelled' THEN ' (annulleret)' ELSE '' END
    || ', men fordringen ' || p.claim_id || ' står til ' || da_money(p.net)
    || ' kr. i debitorsystemet: en nedregulering eller annullering er ikke ført i begge systemer. Seneste ændring '
    || da_time(p.latest_adjustment_at) || ', fristen udløb '
    || da_time(sla_deadline('fee_to_claim', p.latest_adjustment_at)) || '.' AS detail,
  concat_ws('; ', p.fee_src, p.fee_adjustment_srcs, p.src, p.adjustment_srcs) AS lineage,
  sla_deadline('fee_to_claim', p.latest_adjustment_at) AS arose_at
FROM p
WHERE getvariable('as_of') >= sla_deadline('fee_to_claim', p.latest_adjustment_at)
