-- waves/municipalities.sql -- for every municipality of {{municipalities}} (codes joined by commas) at once, each row led by its __municipality:
-- the same rows, in its order within each municipality.
SELECT municipality AS __municipality, wave, municipality, debtor_system, CAST(go_live AS VARCHAR) AS go_live, status, reason,
       CAST(reached_pct AS VARCHAR) AS reached_pct, fees_last_7_days, open_critical, open_warning,
       CAST(fee_to_claim_p90_hours AS VARCHAR) AS fee_to_claim_p90_hours,
       CAST(claim_to_payable_p90_hours AS VARCHAR) AS claim_to_payable_p90_hours,
       CAST(psp_to_debitor_p90_hours AS VARCHAR) AS psp_to_debitor_p90_hours,
       CAST(debitor_to_fbs_p90_hours AS VARCHAR) AS debitor_to_fbs_p90_hours,
       klik_done, klik_total
FROM waves
WHERE municipality IN (SELECT unnest(string_split({{municipalities}}, ',')))
ORDER BY municipality, wave, CASE status WHEN 'red' THEN 0 WHEN 'amber' THEN 1 WHEN 'green' THEN 2 ELSE 9 END
