-- int_claim_state: every claim (fordring) received in the debtor system by asOf, as it stands at asOf, before it is
-- matched to its FBS fee (int_claims does that): its rank among the claims naming the same source_ref (earliest
-- received_at, then smallest claim_id), claim net (principal minus debitor adjustments registered by asOf, never below
-- 0), covered (sum of its active coverages), outstanding (restance = net - covered), the completion instant
-- (covered_at of the active coverage at which the running sum, in order of covered_at, coverage_id, first reaches
-- net, when covered >= net > 0), and its earliest psp invoice published by asOf. A claim without a row in
-- int_claim_rank is alone on its source_ref: rank 1, its own THE claim. last_moved_at: the last event that moved its
-- outstanding (RULES.md §5 R16): the latest covered_at of its active coverages, reversed_at of its coverages and
-- registered_at of its adjustments (NULL when none). A view (see below): int_claims,
-- its one reader, computes it inline, so the claim's state is read apart from its fee match but written only once.
-- Source: cur_debitor_claims, int_claim_rank, int_claim_coverage, int_claim_invoice, int_claim_adjustments, cfg_municipalities;
-- RULES.md §1 (claim net, covered, outstanding, completion instant).
-- materialized: view (read by int_claims alone)
-- incremental: item (its rows read the rows of one fee, claim, payment or transaction and those tied to them)
WITH claims AS (
  -- invoiced_at and collection_sent_at later than asOf count as empty
  SELECT c.* REPLACE (
           by_as_of(c.invoiced_at) AS invoiced_at,
           by_as_of(c.collection_sent_at) AS collection_sent_at)
  FROM cur_debitor_claims c
  WHERE c.received_at <= getvariable('as_of')
), adj AS (
  SELECT * FROM int_claim_adjustments
), cov_sum AS (
  SELECT * FROM int_claim_coverage
), inv AS (
  SELECT * FROM int_claim_invoice
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
    coalesce(r.rank_in_fee, 1) AS rank_in_fee,
    coalesce(r.first_claim_id, c.claim_id) AS first_claim_id,
    coalesce(r.first_claim_src, c.src) AS first_claim_src,
    coalesce(r.first_claim_received_at, c.received_at) AS first_claim_received_at,
    m.debtor_system,
    coalesce(m.has_payment_solution, false) AS has_payment_solution,
    coalesce(a.adjusted_amount, 0)::DECIMAL(38,2) AS adjusted_amount,
    coalesce(a.n_adjustments, 0) AS n_adjustments,
    a.last_adjusted_at,
    a.adjustment_srcs,
    greatest(c.principal - coalesce(a.adjusted_amount, 0), 0)::DECIMAL(38,2) AS net,
    coalesce(s.covered, 0)::DECIMAL(38,2) AS covered,
    coalesce(s.n_active_coverages, 0) AS n_active_coverages,
    s.coverage_srcs,
    s.completed_at AS cov_completed_at,
    greatest(s.last_covered_at, s.last_reversed_at, a.last_adjusted_at) AS last_moved_at,
    i.first_published_at,
    coalesce(i.n_invoices, 0) AS n_invoices,
    i.first_invoice_src,
    c.src
  FROM claims c
  LEFT JOIN int_claim_rank r ON r.municipality = c.municipality AND r.claim_id = c.claim_id
  LEFT JOIN cfg_municipalities m ON m.code = c.municipality
  LEFT JOIN adj a ON a.municipality = c.municipality AND a.claim_id = c.claim_id
  LEFT JOIN cov_sum s ON s.municipality = c.municipality AND s.claim_id = c.claim_id
  LEFT JOIN inv i ON i.municipality = c.municipality AND i.claim_id = c.claim_id
)
SELECT
  b.* EXCLUDE (cov_completed_at),
  (b.net - b.covered)::DECIMAL(38,2) AS outstanding,
  b.covered >= b.net AND b.net > 0 AS fully_covered,
  CASE WHEN b.covered >= b.net AND b.net > 0 THEN b.cov_completed_at END AS completed_at
FROM base b
