// The steps of a batch (./batch.ts): a stable id for each, which the runs table keeps with each step's duration and
// `afstem history` keys its columns by, and the label a person reads on stderr and in the JSON log. A label may
// change (the rules step names the catalog's range, `evaluate rules R01–R22`); the id does not.
import { ruleRange } from '../pipeline/catalog.ts';

export const BATCH_STEPS = {
  load: 'load the inbox',
  books: 'build the current books',
  handling: 'import the handling folder',
  rules: `evaluate rules ${ruleRange()}`,
  suggestions: 'suggest matches and watch the deliveries',
  stages: 'measure the four stages',
  outputs: 'write the outputs',
  report: 'write the report',
  municipalities: "write the municipalities' reports",
} as const;

export type StepId = keyof typeof BATCH_STEPS;

const BY_LABEL = new Map<string, StepId>(Object.entries(BATCH_STEPS).map(([id, label]) => [label, id as StepId]));

/**
 * The id of a step by its label, also for runs recorded before steps had ids (their steps carry only the label):
 * a rules step of any range (`evaluate rules R01–R22` when the catalog had 22 rules). Undefined for a label no step
 * of the batch has.
 */
export function stepIdOf(label: string): StepId | undefined {
  return BY_LABEL.get(label) ?? (/^evaluate rules R\d+–R\d+$/.test(label) ? 'rules' : undefined);
}
