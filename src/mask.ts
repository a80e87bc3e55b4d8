// Personal data (FORMATS.md §5): no output carries a whole CPR number.

const CPR_IN_TEXT = /(?<![\p{L}\p{N}])(\d{6})(-?)(\d{4})(?![\p{L}\p{N}])/gu;

/** A debtor_party as shown: a CPR (DDMMYYSSSS, DDMMYY-SSSS, replacement CPR) as its first six digits + "-XXXX"; CVR whole. */
export function maskParty(party: string | null | undefined): string | null {
  if (party === null || party === undefined) return null;
  const m = /^\s*(\d{6})-?(\d{4})\s*$/.exec(party);
  return m ? `${m[1]}-XXXX` : party;
}

/** Masks every CPR-shaped number standing on its own (DDMMYY-SSSS, or ten digits not inside a longer run of letters or digits). */
export function maskText(text: string | null | undefined): string | null {
  if (text === null || text === undefined) return null;
  return text.replace(CPR_IN_TEXT, (_m, six: string) => `${six}-XXXX`);
}
