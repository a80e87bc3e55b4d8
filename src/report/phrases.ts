// The worklist's descriptions, said once: a description is its rule's words around the row's own values (ids,
// amounts, dates — the words with a digit). Each stretch of words that recurs is kept once in a list of phrases,
// and a description becomes its parts: a number is the index of a phrase, a string is itself (the page joins them
// back, reports/worklist/detail.js). At 40,000 open discrepancies this halves the page's largest part.

/** A description as sent to the page: itself, or its parts (phrase index or literal text) to be joined. */
export type Encoded = string | (number | string)[];

/**
 * The phrases of descriptions seen one at a time (the worklist's rows come in chunks): add() each, then phrases()
 * and encode() each again, in the same order: what encodePhrases gives of them all.
 */
export class PhraseBook {
  private readonly seen = new Map<string, number>();
  private index: Map<string, number> | null = null;
  private list: string[] = [];

  add(text: string): void {
    const parts = text.split(/(\S*\d\S*)/);
    for (let i = 0; i < parts.length; i += 2) if (parts[i].length >= 4) this.seen.set(parts[i], (this.seen.get(parts[i]) ?? 0) + 1);
  }

  /** The phrases, those that recur, in the order they were first seen. */
  phrases(): string[] {
    if (!this.index) {
      this.index = new Map();
      for (const [p, n] of this.seen) {
        if (n < 2) continue;
        this.index.set(p, this.list.length);
        this.list.push(p);
      }
      this.seen.clear();
    }
    return this.list;
  }

  encode(text: string): Encoded {
    this.phrases();
    const index = this.index!;
    // split(/(…)/) alternates: words, value, words, value, …, words
    const out: (number | string)[] = [];
    text.split(/(\S*\d\S*)/).forEach((p, i) => {
      const k = i % 2 === 0 ? index.get(p) : undefined;
      if (k !== undefined) out.push(k);
      else if (!p) return;
      else if (typeof out[out.length - 1] === 'string') out[out.length - 1] += p;
      else out.push(p);
    });
    if (out.length === 0) return '';
    return out.length === 1 && typeof out[0] === 'string' ? out[0] : out;
  }
}

export function encodePhrases(texts: string[]): { phrases: string[]; texts: Encoded[] } {
  const book = new PhraseBook();
  for (const t of texts) book.add(t);
  return { phrases: book.phrases(), texts: texts.map((t) => book.encode(t)) };
}

/** What the page does with an encoded description (the same as detail.js), for the tests. */
export function decodePhrases(phrases: string[], t: Encoded): string {
  return typeof t === 'string' ? t : t.map((p) => (typeof p === 'number' ? phrases[p] : p)).join('');
}
