-- int_claims: every claim (fordring) received in the debtor system by asOf, as it stands at asOf: its FBS fee
-- (source_ref = fee_id in the same municipality), its rank among the claims of that fee (earliest received_at, then
-- smallest claim_id, is THE claim; the others are duplicates), claim net (principal minus debitor adjustments
-- registered by asOf, never below 0), covered (sum of its active coverages), outstanding (restance = net - covered),
-- the completion instant (covered_at of the active coverage at which the running sum, in order of covered_at,
-- coverage_id, first reaches net, when covered >= net > 0), and its earliest psp invoice published by asOf.
-- Source: cur_debitor_claims, cur_debitor_adjustments, cur_psp_invoices, int_base_fees, int_base_coverages,
-- cfg_municipalities; RULES.md §1 (match fee <-> claim, claim net, covered, outstanding, completion instant).
WITH claims AS (
  SELECT c.* REPLACE (
           CASE WHEN c.invoiced_at <= getvariable('as_of') THEN c.invoiced_at END AS invoiced_at,
           CASE WHEN c.collection_sent_at <= getvariable('as_of') THEN c.collection_sent_at END AS collection_sent_at),
         row_number() OVER (PARTITION BY c.municipality, c.source_ref ORDER BY c.received_at, c.claim_id) AS rank_in_fee,
         first_value(c.claim_id) OVER (PARTITION BY c.municipality, c.source_ref ORDER BY c.received_at, c.claim_id) AS first_claim_id,
         first_value(c.src) OVER (PARTITION BY c.municipality, c.source_ref ORDER BY c.received_at, c.claim_id) AS first_claim_src,
         first_value(c.received_at) OVER (PARTITION BY c.municipality, c.source_ref ORDER BY c.received_at, c.claim_id) AS first_claim_received_at
  FROM cur_debitor_claims c
  WHERE c.received_at <= getvariable('as_of')
), adj AS (
  SELECT a.municipality, a.claim_id,
         sum(a.amount) AS adjusted_amount,
         count(*) AS n_adjustments,
         max(a.registered_at) AS last_adjusted_at,
         array_to_string(list_transform(list_sort(list(struct_pack(t := a.registered_at, i := a.adjustment_id, s := a.src))), lambda x: x.s), '; ') AS adjustment_srcs
  FROM cur_debitor_adjustments a
  WHERE a.registered_at <= getvariable('as_of')
  GROUP BY a.municipality, a.claim_id
), cov AS (
  SELECT v.municipality, v.claim_id, v.coverage_id, v.amount, v.covered_at, v.src,
         sum(v.amount) OVER (PARTITION BY v.municipality, v.claim_id ORDER BY v.covered_at, v.coverage_id
                             ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running
  FROM int_base_coverages v
  WHERE v.active
), cov_sum AS (
  SELECT municipality, claim_id,
         sum(amount) AS covered,
         count(*) AS n_active_coverages,
         array_to_string(list_transform(list_sort(list(struct_pack(t := covered_at, i := coverage_id, s := src))), lambda x: x.s), '; ') AS coverage_srcs
  FROM cov
  GROUP BY municipality, claim_id
), inv AS (
  SELECT i.municipality, i.claim_id,
         min(i.published_at) AS first_published_at,
         count(*) AS n_invoices,
         min(struct_pack(p := i.published_at, i := i.invoice_id, s := i.src)).s AS first_invoice_src
  FROM cur_psp_invoices i
  WHERE i.published_at <= getvariable('as_of')
  GROUP BY i.municipality, i.claim_id
), base AS (
  SELECT
    c.municipality,
    c.claim_id,
    c.source_ref,
    c.account_type,
    c.claim_type,
    c.principal,
    c.received_at,
    c.invoiced_at,
    c.due_date,
    c.collection_sent_at,
    f.fee_id IS NOT NULL AS fee_exists,
    CASE WHEN f.fee_id IS NOT NULL THEN c.rank_in_fee END AS rank_in_fee,
    CASE WHEN f.fee_id IS NOT NULL THEN c.rank_in_fee = 1 ELSE false END AS is_the_claim,
    CASE WHEN f.fee_id IS NOT NULL THEN c.first_claim_id END AS the_claim_id,
    CASE WHEN f.fee_id IS NOT NULL THEN c.first_claim_src END AS the_claim_src,
    CASE WHEN f.fee_id IS NOT NULL THEN c.first_claim_received_at END AS the_claim_received_at,
    f.amount AS fee_amount,
    f.net AS fee_net,
    f.status AS fee_status,
    f.patron_type AS fee_patron_type,
    f.fee_type AS fee_fee_type,
    f.in_scope AS fee_in_scope,
    f.created_at AS fee_created_at,
    f.paid_at AS fee_paid_at,
    f.payment_source AS fee_payment_source,
    f.cancelled_at AS fee_cancelled_at,
    f.last_adjusted_at AS fee_last_adjusted_at,
    f.adjustment_srcs AS fee_adjustment_srcs,
    f.src AS fee_src,
    m.debtor_system,
    coalesce(m.has_payment_solution, false) AS has_payment_solution,
    coalesce(a.adjusted_amount, 0)::DECIMAL(18,2) AS adjusted_amount,
    coalesce(a.n_adjustments, 0) AS n_adjustments,
    a.last_adjusted_at,
    a.adjustment_srcs,
    greatest(c.principal - coalesce(a.adjusted_amount, 0), 0)::DECIMAL(18,2) AS net,
    coalesce(s.covered, 0)::DECIMAL(18,2) AS covered,
    coalesce(s.n_active_coverages, 0) AS n_active_coverages,
    s.coverage_srcs,
    i.first_published_at,
    coalesce(i.n_invoices, 0) AS n_invoices,
    i.first_invoice_src,
    c.src
  FROM claims c
  LEFT JOIN int_base_fees f ON f.municipality = c.municipality AND f.fee_id = c.source_ref
  LEFT JOIN cfg_municipalities m ON m.code = c.municipality
  LEFT JOIN adj a ON a.municipality = c.municipality AND a.claim_id = c.claim_id
  LEFT JOIN cov_sum s ON s.municipality = c.municipality AND s.claim_id = c.claim_id
  LEFT JOIN inv i ON i.municipality = c.municipality AND i.claim_id = c.claim_id
), completion AS (
  SELECT v.municipality, v.claim_id, min(v.covered_at) AS completed_at
  FROM cov v
  JOIN base b ON b.municipality = v.municipality AND b.claim_id = v.claim_id
  WHERE b.net > 0 AND v.running >= b.net
  GROUP BY v.municipality, v.claim_id
)
SELECT
  b.*,
  (b.net - b.covered)::DECIMAL(18,2) AS outstanding,
  b.covered >= b.net AND b.net > 0 AS fully_covered,
  CASE WHEN b.covered >= b.net AND b.net > 0 THEN k.completed_at END AS completed_at
FROM base b
LEFT JOIN completion k ON k.municipality = b.municipality AND k.claim_id = b.claim_id
