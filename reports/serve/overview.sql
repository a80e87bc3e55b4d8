-- The operator's overview (FORMATS.md §9): every municipality of the scope with its go-live status and reason
-- (waves), and the latest recorded run's open discrepancies: all, on the worklist (critical and warning, open or in
-- progress or due), critical, handled (explained or awaiting), and the oldest on the worklist in banking days.
WITH open AS (
  SELECT municipality, count(*) AS open,
         count(*) FILTER (WHERE severity IN ('critical', 'warning') AND (handling_status IN ('open', 'in_progress') OR handling_due)) AS worklist,
         count(*) FILTER (WHERE severity = 'critical') AS critical,
         count(*) FILTER (WHERE handling_status = 'explained' OR (handling_status = 'awaiting' AND NOT handling_due)) AS handled,
         max(age_banking_days) FILTER (WHERE severity IN ('critical', 'warning') AND (handling_status IN ('open', 'in_progress') OR handling_due)) AS oldest
  FROM discrepancy_states WHERE state <> 'resolved' GROUP BY municipality)
SELECT w.municipality, w.wave, w.status, w.reason, coalesce(o.open, 0) AS open, coalesce(o.worklist, 0) AS worklist,
       coalesce(o.critical, 0) AS critical, coalesce(o.handled, 0) AS handled, o.oldest
FROM waves w LEFT JOIN open o ON o.municipality = w.municipality
ORDER BY CASE w.status WHEN 'red' THEN 0 WHEN 'amber' THEN 1 WHEN 'green' THEN 2 ELSE 9 END, w.wave, w.municipality
