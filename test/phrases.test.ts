// The worklist's descriptions are sent to the page as recurring phrases plus the row's own values
// (src/report/phrases.ts); the page joins them back (reports/worklist/detail.js does what decodePhrases does).
import { describe, expect, it } from 'vitest';
import { decodePhrases, encodePhrases } from '../src/report/phrases.ts';

describe('the worklist descriptions said once', () => {
  const texts = [
    'Gebyret MV101-X0002 på 50,00 kr. er oprettet i FBS 14-04-2026 00:30 men er ikke overført',
    'Gebyret MV101-X0024 på 75,00 kr. er oprettet i FBS 15-04-2026 09:10 men er ikke overført',
    'Fordringen findes kun hos debitor',
    '',
    'Borgeren <b>betalte</b> & "så"',
  ];

  it('keeps the words around the values once, as phrases, and the values and one-off texts as they are', () => {
    const e = encodePhrases(texts);
    expect(e.phrases).toEqual(['Gebyret ', ' på ', ' kr. er oprettet i FBS ', ' men er ikke overført']);
    expect(e.texts[0]).toEqual([0, 'MV101-X0002', 1, '50,00', 2, '14-04-2026 00:30', 3]);
    expect(e.texts[1]).toEqual([0, 'MV101-X0024', 1, '75,00', 2, '15-04-2026 09:10', 3]);
    expect(e.texts[2]).toBe('Fordringen findes kun hos debitor');
    expect(e.texts[3]).toBe('');
    expect(e.texts[4]).toBe('Borgeren <b>betalte</b> & "så"');
  });

  it('gives back every description exactly', () => {
    const e = encodePhrases(texts);
    expect(texts.map((_t, i) => decodePhrases(e.phrases, e.texts[i]))).toEqual(texts);
  });

  it('merges a phrase seen once into the text beside it (no index for it)', () => {
    const e = encodePhrases(['Dækning D1 mangler 10,00 kr. hos KMD', 'Dækning D2 mangler 20,00 kr. i alt']);
    expect(e.phrases).toEqual(['Dækning ', ' mangler ']);
    expect(e.texts[0]).toEqual([0, 'D1', 1, '10,00 kr. hos KMD']);
    expect(e.texts[1]).toEqual([0, 'D2', 1, '20,00 kr. i alt']);
  });
});
