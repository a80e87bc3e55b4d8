// renderChart keeps each spec compiled and parsed once per process: the charts rendered from one spec must each show
// their own rows, whatever was rendered from it before.
import { describe, expect, it } from 'vitest';
import { renderChart } from '../../src/report/charts.ts';

const rows = (labels: string[]) =>
  labels.map((label, i) => ({ label, rank: i + 1, kroner: 100 * (i + 1), label_x: 100 * (i + 1), severity: 'kritisk', amount_text: `${100 * (i + 1)},00 kr.` }));

describe('charts rendered from one spec', () => {
  it('shows each chart its own rows, and the same rows give the same SVG', async () => {
    const first = await renderChart('action/money-by-rule', rows(['R01 Gebyr ikke overført', 'R04 Beløb afviger']));
    const second = await renderChart('action/money-by-rule', rows(['R16 Overdækning']));
    const again = await renderChart('action/money-by-rule', rows(['R01 Gebyr ikke overført', 'R04 Beløb afviger']));
    expect(first).toContain('R01 Gebyr ikke overført');
    expect(first).toContain('R04 Beløb afviger');
    expect(first).not.toContain('R16 Overdækning');
    expect(second).toContain('R16 Overdækning');
    expect(second).not.toContain('R01 Gebyr ikke overført');
    expect(again).toBe(first);
  });
});
