-- One page of the served worklist (FORMATS.md §9): the rows of the report's worklist ({{rows}}, reports/worklist/
-- rows.sql run unchanged through the user's scope: its selection and its order, oldest critical first, then the
-- largest absolute amount), narrowed by the page's filters (NULL = any): $municipality, $rule, $severity, $min_age
-- (banking days, at least), $handling ('open', 'in_progress', or 'due': awaiting with its follow-up date passed) and
-- $text (in the case number, the ids, the description or the assignee, any case); with the count of all rows that
-- match, {{limit}} rows from {{offset}}. Filters and a window with an empty OVER keep rows.sql's order.
SELECT *, count(*) OVER () AS total
FROM ({{rows}}) w
WHERE ($municipality IS NULL OR municipality = $municipality)
  AND ($rule IS NULL OR rule = $rule)
  AND ($severity IS NULL OR severity = $severity)
  AND ($min_age IS NULL OR age >= $min_age)
  AND ($handling IS NULL OR CASE WHEN $handling = 'due' THEN handling_due ELSE handling_status = $handling AND NOT handling_due END)
  AND ($text IS NULL OR contains(lower(concat_ws(' ', case_ref, key_id, fee_id, claim_id, payment_id, psp_txn_id,
                                                  coverage_id, detail, assignee)), lower($text)))
LIMIT {{limit}} OFFSET {{offset}}
