-- worklist/groups.sql -- for every municipality of {{municipalities}} (codes joined by commas) at once, each row led by its __municipality:
-- each municipality's groups, counted and capped within it, in its order.
SELECT municipality AS __municipality, municipality, rule, severity, count(*) AS n,
       sum(abs(amount))::DECIMAL(38,2)::VARCHAR AS amount,
       max(age_banking_days) AS oldest,
       count(*) OVER (PARTITION BY municipality) AS group_count
FROM discrepancy_states d
WHERE state <> 'resolved' AND severity IN ('critical', 'warning') AND (handling_status IN ('open', 'in_progress') OR handling_due)
  AND municipality IN (SELECT unnest(string_split({{municipalities}}, ',')))
GROUP BY municipality, rule, severity
QUALIFY row_number() OVER (PARTITION BY municipality ORDER BY severity = 'critical' DESC, max(age_banking_days) DESC NULLS LAST,
                                                       coalesce(sum(abs(d.amount)), 0) DESC, rule) <= {{worklist_group_cap}}
ORDER BY municipality, severity = 'critical' DESC, oldest DESC NULLS LAST, coalesce(sum(abs(d.amount)), 0) DESC, rule
