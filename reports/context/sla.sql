-- The SLA of each stage: in hours or in banking days.
SELECT stage, hours, business_days FROM cfg_sla
