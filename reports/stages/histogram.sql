-- Completed items per stage, duration bin (1 … 9, see the stages section) and SLA outcome; negative durations left
-- out: the municipality's rows of the latency_histogram mart, or all municipalities' ('ALL').
SELECT stage, bin, within_sla, n
FROM latency_histogram
WHERE municipality = CASE WHEN {{municipality}} = '' THEN 'ALL' ELSE {{municipality}} END
