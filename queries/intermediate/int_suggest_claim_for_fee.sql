-- int_suggest_claim_for_fee: suggested matches of kind claim_for_fee (RULES.md §6). A fee in scope that never reached
-- the debtor system (not cancelled, no matching claim: R01's population, deadline or not) is often the very claim that
-- arrived there without a usable reference (a claim whose source_ref is empty or names no fee of the municipality:
-- R02): the transfer lost or mistyped the fee id. A pair when the fee's amount equals the claim's principal, both name
-- the same debtor_party (equal after dropping the hyphen: 010180-1234 is 0101801234), and the claim's received_at
-- lies in [created_at, created_at + 5 banking days] (the same Copenhagen time of day on the 5th banking day after
-- created_at's local date). afstem suggests, never decides: a pair changes no rule and no amount; a clerk confirms it
-- by recording handling on both discrepancies. diff_us is the exact time apart (received_at - created_at), for the rank.
-- Source: int_fees, int_claims, cur_fbs_fees, cur_debitor_claims (debtor_party), cal_banking_index, cal_banking_days; RULES.md §6, §1 (in scope, banking
-- day, match fee <-> claim), §3 R01, R02.
WITH unmatched_fees AS (
  SELECT f.municipality, f.fee_id, f.amount, f.created_at
  FROM int_fees f
  WHERE f.in_scope AND f.status <> 'cancelled' AND f.claim_id IS NULL
), lefts AS (
  -- the debtor of each unmatched fee: the few unmatched fees are the hash table, the books are scanned past it
  SELECT u.municipality, u.fee_id, u.amount, u.created_at, replace(b.debtor_party, '-', '') AS party,
         cph_local(u.created_at) AS local_at
  FROM cur_fbs_fees b
  JOIN unmatched_fees u ON u.municipality = b.municipality AND u.fee_id = b.fee_id
), windowed AS (
  -- + 5 banking days: the banking day numbered 5 after created_at's local date (cal_banking_index counts the banking
  -- days up to a date, cal_banking_days numbers them), at the same wall time, back to UTC (a banking day is never a
  -- DST change day, so that wall time exists once); joins, not a lookup per row
  SELECT l.*, timezone('UTC', timezone('Europe/Copenhagen', c.d::TIMESTAMP + (l.local_at - l.local_at::DATE::TIMESTAMP)))::TIMESTAMP AS window_end
  FROM lefts l
  JOIN cal_banking_index i ON i.d = l.local_at::DATE
  JOIN cal_banking_days c ON c.n = i.n_upto + 5
), unmatched_claims AS (
  SELECT c.municipality, c.claim_id, c.principal, c.received_at
  FROM int_claims c
  WHERE NOT c.fee_exists
), rights AS (
  SELECT u.municipality, u.claim_id, u.principal, u.received_at, replace(b.debtor_party, '-', '') AS party
  FROM cur_debitor_claims b
  JOIN unmatched_claims u ON u.municipality = b.municipality AND u.claim_id = b.claim_id
)
SELECT
  r.municipality,
  l.fee_id AS left_id,
  r.claim_id AS right_id,
  r.principal::DECIMAL(18,2) AS amount,
  epoch_us(r.received_at) - epoch_us(l.created_at) AS diff_us
FROM rights r
JOIN windowed l ON l.municipality = r.municipality AND l.amount = r.principal AND l.party = r.party
  AND r.received_at >= l.created_at AND r.received_at <= l.window_end
