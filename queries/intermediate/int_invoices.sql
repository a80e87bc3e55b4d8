-- int_invoices: every psp invoice (fakturabilag: a claim made payable in the payment solution) published by asOf,
-- with whether its claim exists by asOf and whether it is the claim's earliest invoice (the end of the
-- claim_to_payable stage). Source: cur_psp_invoices, int_claims; RULES.md §1, §2.
SELECT
  i.municipality,
  i.invoice_id,
  i.claim_id,
  i.amount,
  i.published_at,
  c.claim_id IS NOT NULL AS claim_exists,
  row_number() OVER (PARTITION BY i.municipality, i.claim_id ORDER BY i.published_at, i.invoice_id) = 1 AS is_first,
  i.src
FROM cur_psp_invoices i
LEFT JOIN int_claims c ON c.municipality = i.municipality AND c.claim_id = i.claim_id
WHERE i.published_at <= getvariable('as_of')
