// One change of the handling trail (FORMATS.md §8, table handling_trail) and its words: what `afstem audit` prints and
// the served case page shows.
import { HANDLING_STATUS_DA, type HandlingStatus } from './store.ts';

export interface TrailLine {
  seq: number;
  changed_at: string;
  case_ref: string;
  rule: string;
  municipality: string;
  key_id: string;
  who: string;
  source: string;
  old_status: string;
  new_status: string;
  old_assignee: string | null;
  new_assignee: string | null;
  old_note: string | null;
  new_note: string | null;
  old_follow_up: string | null;
  new_follow_up: string | null;
}

const status = (s: string) => HANDLING_STATUS_DA[s as HandlingStatus] ?? s;
const shown = (s: string | null) => (s === null ? '–' : `«${s}»`);

/** The changed fields of one trail row: `status I gang → Forklaret; note – → «kontant betalt»`. */
export function describeChange(t: TrailLine): string {
  const parts: string[] = [];
  if (t.old_status !== t.new_status) parts.push(`status ${status(t.old_status)} → ${status(t.new_status)}`);
  else parts.push(`status ${status(t.new_status)}`);
  if (t.old_assignee !== t.new_assignee) parts.push(`ansvarlig ${shown(t.old_assignee)} → ${shown(t.new_assignee)}`);
  if (t.old_note !== t.new_note) parts.push(`note ${shown(t.old_note)} → ${shown(t.new_note)}`);
  if (t.old_follow_up !== t.new_follow_up) parts.push(`opfølgning ${t.old_follow_up ?? '–'} → ${t.new_follow_up ?? '–'}`);
  return parts.join('; ');
}

