// The run's warnings (summary.json `warnings`), first in the page; nothing when there are none.
import { html, raw } from '../html.ts';
import type { Section } from '../section.ts';

export const warnings: Section = {
  id: 'advarsler',
  title: 'Advarsler fra kørslen',
  nav: null,
  render(_q, _optional, ctx) {
    const list = ctx.summary?.warnings ?? [];
    if (!list.length) return raw('');
    return html`<section class="card" id="advarsler"><h2>Advarsler fra kørslen</h2><ul class="warnings">${list.map((w) => html`<li>${w}</li>`)}</ul></section>`;
  },
};
