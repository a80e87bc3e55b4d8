-- Discrepancies per rule: open, new, persisting and resolved since the last run, the open amount (exact, and as a
-- number for bar lengths), and how many of the open and new ones are critical by the severity the rule's SQL wrote
-- (the severity the tables show). The open amount adds absolute amounts (RULES.md §3): R04's −25,00 and +50,00 kr.
-- are 75,00 kr. off, not 25,00.
SELECT rule,
       count(*) FILTER (WHERE state <> 'resolved') AS open,
       count(*) FILTER (WHERE state = 'new') AS new,
       count(*) FILTER (WHERE state = 'persisting') AS persisting,
       count(*) FILTER (WHERE state = 'resolved') AS resolved,
       coalesce(sum(abs(amount)) FILTER (WHERE state <> 'resolved'), 0)::DECIMAL(38,2)::VARCHAR AS amount,
       coalesce(sum(abs(amount)) FILTER (WHERE state <> 'resolved'), 0)::DOUBLE AS kroner,
       count(*) FILTER (WHERE state <> 'resolved' AND severity = 'critical') AS open_critical,
       count(*) FILTER (WHERE state = 'new' AND severity = 'critical') AS new_critical
FROM discrepancy_states
WHERE ({{municipality}} = '' OR municipality = {{municipality}})
GROUP BY rule
