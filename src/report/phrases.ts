// The worklist's descriptions, said once: a description is its rule's words around the row's own values (ids,
// amounts, dates — the words with a digit). Each stretch of words that recurs is kept once in a list of phrases,
// and a description becomes its parts: a number is the index of a phrase, a string is itself (the page joins them
// back, reports/worklist/detail.js). At 40,000 open discrepancies this halves the page's largest part.

/** A description as sent to the page: itself, or its parts (phrase index or literal text) to be joined. */
export type Encoded = string | (number | string)[];

export function encodePhrases(texts: string[]): { phrases: string[]; texts: Encoded[] } {
  // split(/(…)/) alternates: words, value, words, value, …, words
  const split = texts.map((t) => t.split(/(\S*\d\S*)/));
  const seen = new Map<string, number>();
  for (const parts of split) for (let i = 0; i < parts.length; i += 2) if (parts[i].length >= 4) seen.set(parts[i], (seen.get(parts[i]) ?? 0) + 1);
  const phrases: string[] = [];
  const index = new Map<string, number>();
  for (const [p, n] of seen) {
    if (n < 2) continue;
    index.set(p, phrases.length);
    phrases.push(p);
  }
  const encoded = split.map((parts): Encoded => {
    const out: (number | string)[] = [];
    parts.forEach((p, i) => {
      const k = i % 2 === 0 ? index.get(p) : undefined;
      if (k !== undefined) out.push(k);
      else if (!p) return;
      else if (typeof out[out.length - 1] === 'string') out[out.length - 1] += p;
      else out.push(p);
    });
    if (out.length === 0) return '';
    return out.length === 1 && typeof out[0] === 'string' ? out[0] : out;
  });
  return { phrases, texts: encoded };
}

/** What the page does with an encoded description (the same as detail.js), for the tests. */
export function decodePhrases(phrases: string[], t: Encoded): string {
  return typeof t === 'string' ? t : t.map((p) => (typeof p === 'number' ? phrases[p] : p)).join('');
}
