// Text for a terminal made inert: what people typed or saved (a note, a name, a file name, a case number) may hold
// control characters, and ESC or BEL sent to a terminal can retitle it, clear it or move the cursor. Every command
// that prints such text shows each control character as an escape instead (ESC as `\x1b`, a line break inside a cell
// as `\n`), and the bidirectional overrides that reorder what is shown (U+202E …) as `\u202e`.

// C0 controls, DEL, C1 controls, and the invisible marks that change the direction of text
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** One piece of text with every control character shown as an escape (`\x1b`, `\n`, `\u202e`). */
export function inert(text: string): string {
  return text.replace(CONTROL, (c) => {
    const code = c.charCodeAt(0);
    return NAMED[c] ?? (code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
  });
}

/** Lines afstem writes (its own line breaks kept), each made inert. */
export function inertLines(text: string): string {
  return text.split('\n').map(inert).join('\n');
}
