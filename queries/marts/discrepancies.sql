-- discrepancies: every open discrepancy as of asOf, the union of the rule tables rule_R01 ... rule_R22, sorted by
-- rule, municipality, key. What discrepancies.csv, the lifecycle (first_seen, new/persisting/resolved) and the
-- report read. The lineage is spelled out here as file:line (the rules carry "<delivery_id>:<line>").
-- Source: queries/rules/*; RULES.md §3; FORMATS.md §7.
SELECT d.* REPLACE (lineage_paths(d.lineage, p.m) AS lineage) FROM (
  SELECT * FROM rule_R01 UNION ALL SELECT * FROM rule_R02 UNION ALL SELECT * FROM rule_R03
  UNION ALL SELECT * FROM rule_R04 UNION ALL SELECT * FROM rule_R05 UNION ALL SELECT * FROM rule_R06
  UNION ALL SELECT * FROM rule_R07 UNION ALL SELECT * FROM rule_R08 UNION ALL SELECT * FROM rule_R09
  UNION ALL SELECT * FROM rule_R10 UNION ALL SELECT * FROM rule_R11 UNION ALL SELECT * FROM rule_R12
  UNION ALL SELECT * FROM rule_R13 UNION ALL SELECT * FROM rule_R14 UNION ALL SELECT * FROM rule_R15
  UNION ALL SELECT * FROM rule_R16 UNION ALL SELECT * FROM rule_R17 UNION ALL SELECT * FROM rule_R18
  UNION ALL SELECT * FROM rule_R19 UNION ALL SELECT * FROM rule_R20 UNION ALL SELECT * FROM rule_R21
  UNION ALL SELECT * FROM rule_R22
) d
CROSS JOIN src_paths p
ORDER BY rule, municipality, key_id
