// The run step `suggestions` of ./graph.ts: what may explain the discrepancies before anyone chases them. Suggested
// matches (queries/intermediate/int_suggest_*.sql and the mart queries/marts/suggestions.sql, RULES.md §6), the
// deliveries that stopped (queries/marts/delivery_status.sql, RULES.md §7) and both beside each open discrepancy
// (queries/marts/discrepancy_hints.sql). Run after the rules step (it reads the discrepancies mart), before the
// waves step (the go-live status turns red on an overdue delivery, RULES.md §8).
import type { Db } from '../db.ts';
import { lit } from '../db.ts';
import { SUGGESTION_KINDS } from './catalog.ts';
import { runStep, type OnModel } from './models.ts';

export { SUGGESTION_KINDS };

/** summary.json `deliveries` (RULES.md §7). */
export interface DeliveryStatus {
  municipality: string;
  kind: string;
  lastExportDate: string;
  overdue: boolean;
}

/** A delivery with its Danish words, for the report. */
export interface OverdueDelivery extends DeliveryStatus {
  sentence: string;
}

export async function explainDiscrepancies(db: Db, onModel?: OnModel): Promise<void> {
  await runStep(db, 'suggestions', onModel);
}

/** Every watched delivery of every municipality (or of one), sorted by municipality and kind. */
export async function readDeliveries(db: Db, municipality?: string): Promise<OverdueDelivery[]> {
  const rows = await db.all<{ municipality: string; kind: string; last: string; overdue: boolean; sentence: string }>(`
    SELECT municipality, kind, strftime(last_export_date, '%Y-%m-%d') AS last, overdue, sentence_da AS sentence
    FROM delivery_status${municipality ? ` WHERE municipality = ${lit(municipality)}` : ''}
    ORDER BY municipality, kind`);
  return rows.map((r) => ({ municipality: r.municipality, kind: r.kind, lastExportDate: r.last, overdue: r.overdue === true, sentence: r.sentence }));
}

/** summary.json `suggestions`: the number of suggested matches per kind, both kinds, zeros included. */
export async function suggestionCounts(db: Db): Promise<Record<(typeof SUGGESTION_KINDS)[number], number>> {
  const rows = await db.all<{ kind: string; n: number }>(`SELECT kind, count(*) AS n FROM suggestions GROUP BY kind`);
  const n = new Map(rows.map((r) => [r.kind, Number(r.n)]));
  return { payment_for_transaction: n.get('payment_for_transaction') ?? 0, claim_for_fee: n.get('claim_for_fee') ?? 0 };
}

/**
 * The word for a run that loaded no new delivery at all (RULES.md §7): "ingen nye filer siden …", the latest export
 * date of the deliveries in effect in Danish words, or that nothing was ever delivered. Undefined when the run loaded one.
 */
export async function noNewFilesNote(db: Db, loadedThisRun: number): Promise<string | undefined> {
  if (loadedThisRun > 0) return undefined;
  const last = await db.value<string | null>(`
    SELECT da_day(max(export_date)) FROM src_deliveries WHERE export_date <= getvariable('as_of_date')`);
  return last ? `ingen nye filer siden ${last}: kørslen har ikke indlæst nogen ny levering` : 'ingen nye filer: der er endnu ikke indlæst nogen levering';
}
