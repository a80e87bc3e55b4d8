// Where the SQL of queries/ is read from: the repository's queries/ folder, or the copy AFSTEM_QUERIES_DIR names
// (bench/mutate.ts runs the tests on mutated copies; test/new-rule.test.ts adds a rule to a copy). The rule catalog
// (queries/rules/catalog.json) lies there too, so a copy of the folder is a copy of every rule.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const QUERIES_DIR = path.resolve(process.env.AFSTEM_QUERIES_DIR ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '../../queries'));
