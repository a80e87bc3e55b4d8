-- int_psp_municipalities: the municipalities with a PSP transaction paid by asOf, one row each. A booking without a
-- transaction is R11 only where the municipality's payment solution delivers transactions at all
-- (int_payments.municipality_has_psp_txns).
-- Source: cur_psp_transactions.
-- incremental: whole (an item model reads it: a municipality whose row comes or goes is re-evaluated whole)
SELECT DISTINCT municipality FROM cur_psp_transactions WHERE paid_at <= getvariable('as_of')
