-- int_claim_events: what changes a claim's net or covered amount, one row per event up to asOf: debitor adjustments
-- (nedreguleringer, at registered_at), coverages (at covered_at) and coverage reversals (at reversed_at, when that is
-- by asOf). Lets a rule compute a claim's outstanding at an earlier instant T (events at T included):
-- greatest(principal - sum(adjusted), 0) - sum(covered) over events with at <= T.
-- Only the municipalities with a Mit Overblik preview extracted by asOf: its readers (int_mit_overblik, R21) look at
-- those alone (a preview row's claim; the claims of a municipality with a latest extraction), so the events of the
-- others were computed for nothing (a 10M night, two of ten municipalities with previews: 300 -> 205 ms here, and
-- int_mit_overblik 627 -> 499 ms; the same rows).
-- Source: cur_debitor_adjustments, cur_debitor_coverages, cur_borgerblikket_claims; RULES.md §1 (claim net, covered),
-- §3 R21-R22.
WITH previewed AS (
  SELECT DISTINCT municipality FROM cur_borgerblikket_claims WHERE extracted_at <= getvariable('as_of')
)
SELECT a.municipality, a.claim_id, a.registered_at AS at, 'adjustment' AS event,
       a.amount AS adjusted, 0::DECIMAL(38,2) AS covered, a.src
FROM cur_debitor_adjustments a
WHERE a.registered_at <= getvariable('as_of') AND a.municipality IN (SELECT municipality FROM previewed)
UNION ALL
SELECT c.municipality, c.claim_id, c.covered_at AS at, 'coverage' AS event,
       0::DECIMAL(38,2) AS adjusted, c.amount AS covered, c.src
FROM cur_debitor_coverages c
WHERE c.covered_at <= getvariable('as_of') AND c.municipality IN (SELECT municipality FROM previewed)
UNION ALL
SELECT c.municipality, c.claim_id, c.reversed_at AS at, 'coverage_reversal' AS event,
       0::DECIMAL(38,2) AS adjusted, -c.amount AS covered, c.src
FROM cur_debitor_coverages c
WHERE c.covered_at <= getvariable('as_of') AND c.reversed_at <= getvariable('as_of')
  AND c.municipality IN (SELECT municipality FROM previewed)
