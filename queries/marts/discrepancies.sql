-- discrepancies: every open discrepancy as of asOf, the union of the rule tables (rule_R01 ... of the catalog), sorted by
-- rule, municipality, key. What discrepancies.csv, the lifecycle (first_seen, new/persisting/resolved) and the report
-- read. The union is generated from the rule catalog (the rule_union placeholder, ruleUnionSql in
-- src/pipeline/graph.ts): every rule of queries/rules/catalog.json, its columns matched by name (UNION ALL BY NAME),
-- with the rule's code and severity from its catalog entry (the rule files carry neither). The lineage is spelled out
-- here as file:line (the rules carry "<delivery_id>:<line>"). Each rule computes arose_at, when the discrepancy arose
-- as of asOf (RULES.md §5; the catalog's `arose` says how); its age in banking days since then is added here.
-- Source: queries/rules/*, queries/rules/catalog.json; RULES.md §3, §5; FORMATS.md §7.
SELECT d.* REPLACE (lineage_paths(d.lineage, p.m) AS lineage),
       age_banking_days(d.arose_at) AS age_banking_days
FROM {{ rule_union }} d
CROSS JOIN src_paths p
ORDER BY rule, municipality, key_id
