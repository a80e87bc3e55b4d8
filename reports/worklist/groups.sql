-- The worklist (FORMATS.md §8) grouped by municipality and rule: every open discrepancy of severity critical or
-- warning whose handling_status is open or in_progress, or awaiting and due (its follow_up has passed), with the
-- group's count, money (exact; absolute amounts added, RULES.md §3) and oldest age in banking days. Critical groups
-- first, then the oldest, then the most money. {{municipality}} '' means every municipality.
SELECT municipality, rule, severity, count(*) AS n,
       sum(abs(amount))::DECIMAL(38,2)::VARCHAR AS amount,  -- absolute amounts (RULES.md §3); empty for R06
       max(age_banking_days) AS oldest,
       count(*) OVER () AS group_count
FROM discrepancy_states d
WHERE state <> 'resolved' AND severity IN ('critical', 'warning') AND (handling_status IN ('open', 'in_progress') OR handling_due)
  AND ({{municipality}} = '' OR municipality = {{municipality}})
GROUP BY municipality, rule, severity
ORDER BY severity = 'critical' DESC, oldest DESC NULLS LAST, coalesce(sum(abs(d.amount)), 0) DESC, municipality, rule
LIMIT {{worklist_group_cap}}
