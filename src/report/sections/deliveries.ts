// The banner that opens the report (RULES.md §7, FORMATS.md §8): every overdue delivery in words, the kind in Danish
// with its code ("Odense har ikke leveret indbetalinger (debitor_payments) siden 26. november"), and what it means
// for the discrepancies below: those of that municipality whose rule reads the kind are marked "muligvis forårsaget
// af …". Nothing when no delivery is overdue. A municipality's own report shows its own deliveries alone (the SQL
// filters). SQL: reports/explain/overdue.sql. Also the hints of reports/explain/hints.sql, which the worklist and the
// per-rule tables show beside each discrepancy.
import type { Row } from '../../db.ts';
import { formatCount, html, raw } from '../html.ts';
import { num, str } from '../parts.ts';
import type { Section } from '../section.ts';

export const deliveries: Section = {
  id: 'leverancer',
  title: 'Leverancer, der er stoppet',
  nav: null,
  optional: { deliveries: 'explain/overdue.sql' },
  render(_q, optional) {
    const overdue = (optional.deliveries ?? []).filter((r) => r.overdue === true);
    if (!overdue.length) return raw('');
    const gap = num(overdue[0].max_gap);
    return html`<section class="card banner critical" id="leverancer" role="alert">
<h2>Leverancer, der er stoppet</h2>
<ul class="overdue">${overdue.map((r) => html`<li><b>${str(r.sentence_da)}</b> (${formatCount(num(r.banking_days_since))} bankdage uden ny fil; højst ${formatCount(gap)} er tilladt).</li>`)}</ul>
<p class="lead">En manglende leverance får afvigelser til at se ud, som om pengene eller fordringerne mangler. Afvigelser i kommunen, hvis regel læser den manglende slags, er markeret »muligvis forårsaget af …« nedenfor og i discrepancies.xlsx (kolonnen Mulig årsag): få leverancen på plads, før de jagtes.</p>
</section>`;
  },
};

/** The key of a discrepancy in the hints' map. */
export const hintKey = (r: Row): string => `${str(r.municipality)}|${str(r.rule)}|${str(r.key_id)}`;

/** The hints of reports/explain/hints.sql as one Danish text per discrepancy: the suggestion, then the possible cause. */
export function hintTexts(rows: Row[] | null): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of rows ?? []) {
    const cause = str(r.overdue_cause);
    const parts = [str(r.suggestion), cause ? cause.charAt(0).toUpperCase() + cause.slice(1) : ''].filter((p) => p !== '');
    if (parts.length) out.set(hintKey(r), parts.map((p) => (p.endsWith('.') ? p : `${p}.`)).join(' '));
  }
  return out;
}
