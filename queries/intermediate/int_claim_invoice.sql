-- int_claim_invoice: per claim, its psp invoices (fakturabilag) published by asOf: the earliest published_at (the end
-- of stage claim_to_payable, RULES.md §2), how many, and the lineage of the earliest. Its own model so that
-- int_claim_state holds no aggregate of its own.
-- Source: cur_psp_invoices; RULES.md §1–2, §3 R09.
-- incremental: item (its rows read the rows of one fee, claim, payment or transaction and those tied to them)
SELECT i.municipality, i.claim_id,
         min(i.published_at) AS first_published_at,
         count(*) AS n_invoices,
         min(struct_pack(p := i.published_at, i := i.invoice_id, s := i.src)).s AS first_invoice_src
  FROM cur_psp_invoices i
  WHERE i.published_at <= getvariable('as_of')
  GROUP BY i.municipality, i.claim_id
