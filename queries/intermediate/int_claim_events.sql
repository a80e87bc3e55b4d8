-- int_claim_events: what changes a claim's net or covered amount, one row per event up to asOf: debitor adjustments
-- (nedreguleringer, at registered_at), coverages (at covered_at) and coverage reversals (at reversed_at, when that is
-- by asOf). Lets a rule compute a claim's outstanding at an earlier instant T (events at T included):
-- greatest(principal - sum(adjusted), 0) - sum(covered) over events with at <= T.
-- Source: cur_debitor_adjustments, cur_debitor_coverages; RULES.md §1 (claim net, covered), §3 R21-R22.
SELECT a.municipality, a.claim_id, a.registered_at AS at, 'adjustment' AS event,
       a.amount AS adjusted, 0::DECIMAL(38,2) AS covered, a.src
FROM cur_debitor_adjustments a
WHERE a.registered_at <= getvariable('as_of')
UNION ALL
SELECT c.municipality, c.claim_id, c.covered_at AS at, 'coverage' AS event,
       0::DECIMAL(38,2) AS adjusted, c.amount AS covered, c.src
FROM cur_debitor_coverages c
WHERE c.covered_at <= getvariable('as_of')
UNION ALL
SELECT c.municipality, c.claim_id, c.reversed_at AS at, 'coverage_reversal' AS event,
       0::DECIMAL(38,2) AS adjusted, -c.amount AS covered, c.src
FROM cur_debitor_coverages c
WHERE c.covered_at <= getvariable('as_of') AND c.reversed_at <= getvariable('as_of')
