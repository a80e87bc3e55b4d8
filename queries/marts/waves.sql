-- waves: the go-live view for project leads (issue 5, seed 002 "bølger"): one row per wave and municipality with its
-- debtor system, planned go-live (skæringsdato), the first fee in scope and the first claim received since go-live,
-- fees and claims flowing in the last 7 days before asOf, the share of in-scope fees older than the fee_to_claim SLA
-- that reached the debtor system, the open critical and warning discrepancies, p90 per stage against its SLA, the KLIK
-- tasks done of all, and a status with its reason in Danish words (RULES.md §8), naming every condition that holds:
--   planned  go-live is not before asOf's date (the Copenhagen date of the last instant before asOf, RULES.md §1);
--   red      an open critical discrepancy whose age since it AROSE (age_banking_days, RULES.md §5: counted from the
--            data, so on the first night an old problem is already old) is over 2 banking days; or under 95 % of the
--            fees in scope, not cancelled, whose fee_to_claim deadline has passed have a matching claim; or a delivery
--            is overdue (RULES.md §7: delivery_status, named in the reason); or no fee in
--            scope has been seen since go-live;
--   amber    a stage whose completed items are over SLA (n - within_sla) for more than 10 % of them, or open warnings;
--   green    otherwise.
-- The reason names every condition that holds, the red ones first (a red municipality's amber conditions too). A
-- share shown beside its threshold is never rounded across it (94,98 % reads 94,9 %, not 95,0 %).
-- Sorted by wave, municipality. Source: cfg_municipalities, cfg_sla, int_fees, int_claims, latency,
-- discrepancy_states, cur_klik_tasks, delivery_status; RULES.md §1, §2, §5, §8, seeds 000/001/002/004 (KLIK tasks, waves).
-- materialized: table (TEMP for the run; a recorded run copies it into the database for `afstem waves`, lifecycle.ts)
WITH params AS (
  SELECT getvariable('as_of') AS as_of, cph_date(getvariable('as_of') - INTERVAL 1 MICROSECOND) AS as_of_date
), months AS (
  SELECT ['januar', 'februar', 'marts', 'april', 'maj', 'juni', 'juli', 'august', 'september', 'oktober', 'november',
          'december'] AS names
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
  -- the fees in scope, not cancelled as of asOf, whose fee_to_claim deadline has passed, and those with a claim
  SELECT f.municipality,
         count(*) AS fees_due,
         count(*) FILTER (WHERE f.claim_id IS NOT NULL) AS fees_reached
  FROM int_fees f, params p
  WHERE f.in_scope AND f.status <> 'cancelled' AND sla_deadline('fee_to_claim', f.created_at) <= p.as_of
  GROUP BY f.municipality
), disc AS (
  SELECT s.municipality,
         count(*) FILTER (WHERE s.severity = 'critical') AS open_critical,
         count(*) FILTER (WHERE s.severity = 'warning') AS open_warning,
         count(*) FILTER (WHERE s.severity = 'critical' AND s.age_banking_days > 2) AS critical_over_2_banking_days
  FROM discrepancy_states s
  WHERE s.state IN ('new', 'persisting')
  GROUP BY s.municipality
), overdue AS (
  -- RULES.md §7/§8: one row per municipality with an overdue delivery, its overdue kinds in Danish with their codes,
  -- e.g. 'indbetalinger (debitor_payments) siden 26. november' (delivery_status, in kind order)
  SELECT municipality, string_agg(since_da, ', ' ORDER BY kind) AS kinds
  FROM delivery_status
  WHERE overdue
  GROUP BY municipality
), sla AS (
  SELECT stage,
         CASE WHEN hours IS NOT NULL THEN regexp_replace(CAST(hours AS VARCHAR), '\.0$', '') || ' h'
              ELSE business_days || CASE WHEN business_days = 1 THEN ' bankdag' ELSE ' bankdage' END END AS sla,
         -- the same in words, for the reason
         CASE WHEN hours IS NOT NULL THEN replace(regexp_replace(CAST(hours AS VARCHAR), '\.0$', ''), '.', ',')
                                          || CASE WHEN hours = 1 THEN ' time' ELSE ' timer' END
              ELSE business_days || CASE WHEN business_days = 1 THEN ' bankdag' ELSE ' bankdage' END END AS sla_da,
         -- the stage's Danish name (the report's stage labels)
         CASE stage WHEN 'fee_to_claim' THEN 'gebyr → fordring' WHEN 'claim_to_payable' THEN 'fordring → betalbar'
                    WHEN 'psp_to_debitor' THEN 'betaling → bogført' WHEN 'debitor_to_fbs' THEN 'dækket → betalt i FBS'
                    ELSE stage END AS stage_da
  FROM cfg_sla
), lat AS (
  SELECT m.code AS municipality, s.stage, s.sla, s.sla_da, s.stage_da, coalesce(l.n, 0) AS n, l.p90_hours,
         coalesce(l.n - l.within_sla, 0) AS over_sla,
         -- the share over SLA in tenths of a per cent, read only where it is over 10 %: rounded half up, but never
         -- down to the 10,0 % it exceeds (1.001 of 10.001 = 10,009 % reads 10,1 %, RULES.md §8)
         greatest((2000 * (l.n - l.within_sla) + l.n) // (2 * greatest(l.n, 1)), 101) AS over_tenths
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
                      stage_da || ': ' || da_count(over_sla) || ' af ' || da_count(n) || ' afsluttede over fristen på '
                      || sla_da || ' (' || (over_tenths // 10) || ',' || (over_tenths % 10) || ' %)' END,
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
         o.kinds AS overdue_kinds,
         p.as_of_date,
         cast(day(m.go_live) AS VARCHAR) || '. ' || mo.names[month(m.go_live)] || ' ' || cast(year(m.go_live) AS VARCHAR) AS go_live_da
  FROM cfg_municipalities m
  CROSS JOIN params p
  LEFT JOIN fees f ON f.municipality = m.code
  LEFT JOIN claims c ON c.municipality = m.code
  LEFT JOIN due d ON d.municipality = m.code
  LEFT JOIN disc x ON x.municipality = m.code
  LEFT JOIN stages s ON s.municipality = m.code
  LEFT JOIN klik k ON k.municipality = m.code
  LEFT JOIN overdue o ON o.municipality = m.code
  CROSS JOIN months mo
), judged AS (
  SELECT b.*,
         array_to_string(list_filter([
           CASE WHEN critical_over_2_banking_days = 1 THEN '1 kritisk afvigelse opstod for mere end 2 bankdage siden'
                WHEN critical_over_2_banking_days > 1 THEN da_count(critical_over_2_banking_days) || ' kritiske afvigelser opstod for mere end 2 bankdage siden' END,
           CASE WHEN fees_due > 0 AND fees_reached * 100 < 95 * fees_due THEN
                -- never rounded up across the 95 % it falls short of: 2.914 of 3.068 = 94,98 % reads 94,9 %
                'kun ' || (least(reached_tenths, 949) // 10) || ',' || (least(reached_tenths, 949) % 10) || ' % af de ikke-annullerede gebyrer fra idriftsættelsen, hvis frist for gebyr → fordring er udløbet, har en fordring i debitorsystemet ('
                || da_count(fees_reached) || ' af ' || da_count(fees_due) || '; mindst 95 % kræves)' END,
           CASE WHEN overdue_kinds IS NOT NULL THEN 'leverancer mangler: ' || overdue_kinds END,
           CASE WHEN fees_in_scope = 0 THEN 'intet gebyr er set siden idriftsættelsen ' || go_live_da END
         ], x -> x IS NOT NULL), '; ') AS red_reason,
         array_to_string(list_filter([
           amber_stages,
           CASE WHEN open_warning = 1 THEN '1 åben advarsel'
                WHEN open_warning > 1 THEN da_count(open_warning) || ' åbne advarsler' END
         ], x -> x IS NOT NULL), '; ') AS amber_reason
  FROM base b
)
SELECT wave, municipality, name, debtor_system, go_live,
       first_fee_in_scope, first_claim_received, fees_last_7_days, claims_last_7_days,
       fees_in_scope, fees_due, fees_reached,
       -- rounded half up to one decimal, but a share under 95 % never reads 95,0 % (94,98 % is 94,9 %: RULES.md §8)
       CAST(CASE WHEN fees_reached * 100 < 95 * fees_due THEN least(reached_tenths, 949) ELSE reached_tenths END * 0.1
            AS DECIMAL(4,1)) AS reached_pct,
       open_critical, critical_over_2_banking_days, open_warning,
       fee_to_claim_p90_hours, fee_to_claim_sla, fee_to_claim_completed, fee_to_claim_over_sla,
       claim_to_payable_p90_hours, claim_to_payable_sla, claim_to_payable_completed, claim_to_payable_over_sla,
       psp_to_debitor_p90_hours, psp_to_debitor_sla, psp_to_debitor_completed, psp_to_debitor_over_sla,
       debitor_to_fbs_p90_hours, debitor_to_fbs_sla, debitor_to_fbs_completed, debitor_to_fbs_over_sla,
       klik_done, klik_total,
       CASE WHEN go_live >= as_of_date THEN 'planned'
            WHEN red_reason <> '' THEN 'red' WHEN amber_reason <> '' THEN 'amber' ELSE 'green' END AS status,
       -- every condition that holds, the red ones first
       CASE WHEN go_live >= as_of_date THEN 'planlagt: idriftsættelse ' || go_live_da
            WHEN red_reason <> '' OR amber_reason <> '' THEN concat_ws('; ', nullif(red_reason, ''), nullif(amber_reason, ''))
            ELSE 'ingen kritiske afvigelser ældre end 2 bankdage, gebyrerne når debitorsystemet, fristerne overholdes og ingen åbne advarsler' END AS reason
FROM judged
ORDER BY wave, municipality
