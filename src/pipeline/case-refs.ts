// Case references (FORMATS.md §8 `case_ref`): a stable reference per discrepancy identity (municipality, rule, key),
// `S-` and a number, assigned by the database the first time any run finds the identity open (a look back included),
// never reused and never derived from the key (a hashed CPR number can be recovered). The clerks and the handling
// imports name a discrepancy by it.
//
// Persistent table (in the batch database; src/schema/migrations.ts creates it):
//   case_refs(case_no, municipality, rule, key_id, first_assigned_at, first_as_of)
//     case_no            the number after `S-`: the identities new to a run get max + 1, max + 2, … in identity
//                        order (rule, municipality, key_id, as text), so a given sequence of runs gives the same numbers
//     first_assigned_at  when the database assigned it (UTC wall clock); first_as_of the asOf of that run
// A row is never changed or deleted: a resolved identity found open again keeps its number.
import { tsLiteral, type Db } from '../db.ts';

export const CASE_REF_PREFIX = 'S-';

/** The SQL expression of the reference text of a case number column: 'S-17'. */
export const caseRefSql = (caseNo: string): string => `'${CASE_REF_PREFIX}' || CAST(${caseNo} AS VARCHAR)`;

/**
 * Gives every identity of `source` (a table or subquery with municipality, rule, key_id: the run's discrepancies)
 * that has no case number yet the next numbers, in identity order. Runs inside the caller's transaction when there
 * is one. Returns how many were assigned.
 */
export async function assignCaseRefs(db: Db, asOf: Date, source = 'discrepancies'): Promise<number> {
  const before = Number(await db.value(`SELECT count(*) FROM case_refs`));
  await db.run(`INSERT INTO case_refs (case_no, municipality, rule, key_id, first_assigned_at, first_as_of)
    SELECT (SELECT coalesce(max(case_no), 0) FROM case_refs)
             + row_number() OVER (ORDER BY n.rule, n.municipality, n.key_id),
           n.municipality, n.rule, n.key_id, now()::TIMESTAMP, ${tsLiteral(asOf)}
    FROM (SELECT DISTINCT d.municipality, d.rule, d.key_id FROM ${source} d
          WHERE NOT EXISTS (SELECT 1 FROM case_refs c
                            WHERE c.municipality = d.municipality AND c.rule = d.rule AND c.key_id = d.key_id)) n`);
  return Number(await db.value(`SELECT count(*) FROM case_refs`)) - before;
}
