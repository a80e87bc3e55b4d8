-- discrepancies/per-rule.sql -- for every municipality of {{municipalities}} (codes joined by commas) at once, each row led by its __municipality:
-- the same rows (a municipality's rules with discrepancies).
SELECT municipality AS __municipality, rule,
       count(*) FILTER (WHERE state <> 'resolved') AS open,
       count(*) FILTER (WHERE state = 'new') AS new,
       count(*) FILTER (WHERE state = 'persisting') AS persisting,
       count(*) FILTER (WHERE state = 'resolved') AS resolved,
       coalesce(sum(abs(amount)) FILTER (WHERE state <> 'resolved'), 0)::DECIMAL(38,2)::VARCHAR AS amount,
       coalesce(sum(abs(amount)) FILTER (WHERE state <> 'resolved'), 0)::DOUBLE AS kroner,
       count(*) FILTER (WHERE state <> 'resolved' AND severity = 'critical') AS open_critical,
       count(*) FILTER (WHERE state = 'new' AND severity = 'critical') AS new_critical
FROM discrepancy_states
WHERE municipality IN (SELECT unnest(string_split({{municipalities}}, ',')))
GROUP BY municipality, rule
