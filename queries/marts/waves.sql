-- waves: the go-live view for project leads (issue 5, seed 002 "bølger"): one row per wave and municipality with its
-- debtor system, planned go-live (skæringsdato), the first fee in scope and the first claim received since go-live,
-- fees and claims flowing in the last 7 days before asOf, the share of in-scope fees older than the fee_to_claim SLA
-- that reached the debtor system, the open critical and warning discrepancies, p90 per stage against its SLA, the KLIK
-- tasks done of all, and a status with its reason in Danish words:
--   red   an open critical discrepancy older than 2 banking days (more than 2 banking days have ended since the local
--         date it was first seen: asOf is at or after 00:00 after the 2nd banking day, as RULES.md §1 deadlines),
--         or under 95 % of the in-scope fees whose fee_to_claim deadline has passed reached the debtor system
--         (the fee_to_claim population of latency_items: not cancelled without a claim), or no fee in scope seen
--         although go-live is before asOf's local date;
--   amber a stage whose completed items are over SLA (n - within_sla) for more than 10 % of them, or open warnings;
--   green otherwise (reason says when go-live is still ahead).
-- Sorted by wave, municipality. Source: cfg_municipalities, cfg_sla, cal_days, int_fees, int_claims, latency_items,
-- latency, discrepancy_states, cur_klik_tasks; issue 5, RULES.md §1-§2, seeds 000/001/002/004 (KLIK tasks, waves).
-- materialized: persisted table (`afstem waves` reads it after the run)
WITH params AS (
  SELECT getvariable('as_of') AS as_of, cph_date(getvariable('as_of')) AS as_of_date
), fees AS (
  SELECT f.municipality,
         min(f.created_at) AS first_fee_in_scope,
         count(*) AS fees_in_scope,
         count(*) FILTER (WHERE f.created_at > p.as_of - INTERVAL 7 DAY) AS fees_last_7_days
  FROM int_fees f, params p
  WHERE f.in_scope
  GROUP BY f.municipality
), claims AS (
  SELECT c.municipality,
         min(c.received_at) AS first_claim_received,
         count(*) FILTER (WHERE c.received_at > p.as_of - INTERVAL 7 DAY) AS claims_last_7_days
  FROM int_claims c JOIN cfg_municipalities m ON m.code = c.municipality, params p
  WHERE cph_date(c.received_at) >= m.go_live
  GROUP BY c.municipality
), due AS (
  SELECT i.municipality,
         count(*) AS fees_due,
         count(*) FILTER (WHERE i.end_at IS NOT NULL) AS fees_reached
  FROM latency_items i, params p
  WHERE i.stage = 'fee_to_claim' AND i.deadline <= p.as_of
  GROUP BY i.municipality
), banking AS (
  SELECT d, sum(CASE WHEN is_banking THEN 1 ELSE 0 END) OVER (ORDER BY d) AS n_upto FROM cal_days
), disc AS (
  SELECT s.municipality,
         count(*) FILTER (WHERE s.severity = 'critical') AS open_critical,
         count(*) FILTER (WHERE s.severity = 'warning') AS open_warning,
         count(*) FILTER (WHERE s.severity = 'critical' AND a.n_upto - f.n_upto >= 2) AS critical_over_2_banking_days
  FROM discrepancy_states s
  CROSS JOIN params p
  JOIN banking f ON f.d = cph_date(s.first_seen)
  JOIN banking a ON a.d = p.as_of_date - 1
  WHERE s.state IN ('new', 'persisting')
  GROUP BY s.municipality
), sla AS (
  SELECT stage,
         CASE WHEN hours IS NOT NULL THEN regexp_replace(CAST(hours AS VARCHAR), '\.0$', '') || ' h'
              ELSE business_days || CASE WHEN business_days = 1 THEN ' bankdag' ELSE ' bankdage' END END AS sla
  FROM cfg_sla
), lat AS (
  SELECT m.code AS municipality, s.stage, s.sla, coalesce(l.n, 0) AS n, l.p90_hours,
         coalesce(l.n - l.within_sla, 0) AS over_sla,
         (2000 * (l.n - l.within_sla) + l.n) // (2 * greatest(l.n, 1)) AS over_tenths
  FROM cfg_municipalities m CROSS JOIN sla s
  LEFT JOIN latency l ON l.municipality = m.code AND l.stage = s.stage
), stages AS (
  SELECT municipality,
         max(p90_hours) FILTER (WHERE stage = 'fee_to_claim') AS fee_to_claim_p90_hours,
         max(sla) FILTER (WHERE stage = 'fee_to_claim') AS fee_to_claim_sla,
         max(n) FILTER (WHERE stage = 'fee_to_claim') AS fee_to_claim_completed,
         max(over_sla) FILTER (WHERE stage = 'fee_to_claim') AS fee_to_claim_over_sla,
         max(p90_hours) FILTER (WHERE stage = 'claim_to_payable') AS claim_to_payable_p90_hours,
         max(sla) FILTER (WHERE stage = 'claim_to_payable') AS claim_to_payable_sla,
         max(n) FILTER (WHERE stage = 'claim_to_payable') AS claim_to_payable_completed,
         max(over_sla) FILTER (WHERE stage = 'claim_to_payable') AS claim_to_payable_over_sla,
         max(p90_hours) FILTER (WHERE stage = 'psp_to_debitor') AS psp_to_debitor_p90_hours,
         max(sla) FILTER (WHERE stage = 'psp_to_debitor') AS psp_to_debitor_sla,
         max(n) FILTER (WHERE stage = 'psp_to_debitor') AS psp_to_debitor_completed,
         max(over_sla) FILTER (WHERE stage = 'psp_to_debitor') AS psp_to_debitor_over_sla,
         max(p90_hours) FILTER (WHERE stage = 'debitor_to_fbs') AS debitor_to_fbs_p90_hours,
         max(sla) FILTER (WHERE stage = 'debitor_to_fbs') AS debitor_to_fbs_sla,
         max(n) FILTER (WHERE stage = 'debitor_to_fbs') AS debitor_to_fbs_completed,
         max(over_sla) FILTER (WHERE stage = 'debitor_to_fbs') AS debitor_to_fbs_over_sla,
         string_agg(CASE WHEN n > 0 AND over_sla * 10 > n THEN
                      stage || ': ' || over_sla || ' af ' || n || ' afsluttede over SLA på ' || sla || ' ('
                      || (over_tenths // 10) || ',' || (over_tenths % 10) || ' %)' END,
                    '; ' ORDER BY stage) AS amber_stages
  FROM lat
  GROUP BY municipality
), klik AS (
  SELECT k.municipality,
         count(*) AS klik_total,
         count(*) FILTER (WHERE k.status = 'done' AND (k.completed_at IS NULL OR k.completed_at <= p.as_of)) AS klik_done
  FROM cur_klik_tasks k, params p
  GROUP BY k.municipality
), base AS (
  SELECT m.wave, m.code AS municipality, m.name, m.debtor_system, m.go_live,
         f.first_fee_in_scope, c.first_claim_received,
         coalesce(f.fees_last_7_days, 0) AS fees_last_7_days,
         coalesce(c.claims_last_7_days, 0) AS claims_last_7_days,
         coalesce(f.fees_in_scope, 0) AS fees_in_scope,
         coalesce(d.fees_due, 0) AS fees_due,
         coalesce(d.fees_reached, 0) AS fees_reached,
         CASE WHEN d.fees_due > 0 THEN (2000 * d.fees_reached + d.fees_due) // (2 * d.fees_due) END AS reached_tenths,
         coalesce(x.open_critical, 0) AS open_critical,
         coalesce(x.open_warning, 0) AS open_warning,
         coalesce(x.critical_over_2_banking_days, 0) AS critical_over_2_banking_days,
         s.* EXCLUDE (municipality, amber_stages),
         s.amber_stages,
         k.klik_done, k.klik_total,
         p.as_of_date
  FROM cfg_municipalities m
  CROSS JOIN params p
  LEFT JOIN fees f ON f.municipality = m.code
  LEFT JOIN claims c ON c.municipality = m.code
  LEFT JOIN due d ON d.municipality = m.code
  LEFT JOIN disc x ON x.municipality = m.code
  LEFT JOIN stages s ON s.municipality = m.code
  LEFT JOIN klik k ON k.municipality = m.code
), judged AS (
  SELECT b.*,
         array_to_string(list_filter([
           CASE WHEN critical_over_2_banking_days = 1 THEN '1 kritisk afvigelse har været åben i mere end 2 bankdage'
                WHEN critical_over_2_banking_days > 1 THEN critical_over_2_banking_days || ' kritiske afvigelser har været åbne i mere end 2 bankdage' END,
           CASE WHEN fees_due > 0 AND fees_reached * 100 < 95 * fees_due THEN
                'kun ' || (reached_tenths // 10) || ',' || (reached_tenths % 10) || ' % af gebyrerne i scope, der er ældre end SLA for fee_to_claim, er nået til debitorsystemet ('
                || fees_reached || ' af ' || fees_due || '; mindst 95 % kræves)' END,
           CASE WHEN fees_in_scope = 0 AND go_live < as_of_date THEN
                'intet gebyr i scope er set siden idriftsættelsen ' || strftime(go_live, '%Y-%m-%d') END
         ], x -> x IS NOT NULL), '; ') AS red_reason,
         array_to_string(list_filter([
           amber_stages,
           CASE WHEN open_warning = 1 THEN '1 åben advarsel'
                WHEN open_warning > 1 THEN open_warning || ' åbne advarsler' END
         ], x -> x IS NOT NULL), '; ') AS amber_reason
  FROM base b
)
SELECT wave, municipality, name, debtor_system, go_live,
       first_fee_in_scope, first_claim_received, fees_last_7_days, claims_last_7_days,
       fees_in_scope, fees_due, fees_reached,
       CAST(reached_tenths * 0.1 AS DECIMAL(4,1)) AS reached_pct,
       open_critical, critical_over_2_banking_days, open_warning,
       fee_to_claim_p90_hours, fee_to_claim_sla, fee_to_claim_completed, fee_to_claim_over_sla,
       claim_to_payable_p90_hours, claim_to_payable_sla, claim_to_payable_completed, claim_to_payable_over_sla,
       psp_to_debitor_p90_hours, psp_to_debitor_sla, psp_to_debitor_completed, psp_to_debitor_over_sla,
       debitor_to_fbs_p90_hours, debitor_to_fbs_sla, debitor_to_fbs_completed, debitor_to_fbs_over_sla,
       klik_done, klik_total,
       CASE WHEN red_reason <> '' THEN 'red' WHEN amber_reason <> '' THEN 'amber' ELSE 'green' END AS status,
       CASE WHEN red_reason <> '' THEN red_reason
            WHEN amber_reason <> '' THEN amber_reason
            WHEN go_live > as_of_date THEN 'ikke i drift endnu: idriftsættelse ' || strftime(go_live, '%Y-%m-%d')
            ELSE 'ingen kritiske afvigelser over 2 bankdage, gebyrerne når debitorsystemet, SLA overholdt og ingen åbne advarsler' END AS reason
FROM judged
ORDER BY wave, municipality
