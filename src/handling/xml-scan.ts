// A small streaming XML scanner for the parts of an xlsx (FORMATS.md §8): text arrives in chunks as the part inflates,
// and the scanner calls back for each start tag, end tag and text run, with entities decoded and namespace prefixes
// left off the names. Comments, processing instructions and CDATA are handled; a DOCTYPE (entity definitions, the
// "billion laughs") is refused. Memory stays bounded: a tag or text run longer than `maxToken` characters is an error.
// Well-formedness beyond what reading needs (matching end tags) is not checked.

export class XmlError extends Error {}
/** A tag or text run longer than the scanner's limit. */
export class XmlLimitError extends XmlError {}

/** What a reader of a part does with each start tag (its attribute text raw: attrsOf), end tag and text run. */
export interface XmlHandler {
  open?(name: string, attrs: string): void;
  close?(name: string): void;
  text?(text: string): void;
}

const localName = (qname: string) => qname.slice(qname.indexOf(':') + 1);

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Text with its character and entity references decoded. */
export function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);|&/g, (m, ref: string | undefined) => {
    if (ref === undefined) throw new XmlError('et "&" står alene i teksten');
    if (ref[0] === '#') {
      const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      if (!(code >= 0 && code <= 0x10ffff)) throw new XmlError(`tegnreferencen ${m} findes ikke`);
      return String.fromCodePoint(code);
    }
    const v = ENTITIES[ref];
    if (v === undefined) throw new XmlError(`ukendt entitet ${m}`);
    return v;
  });
}

/** A start tag's attributes by local name (any prefix left off), values decoded. */
export function attrsOf(raw: string): Record<string, string> {
  const out: Record<string, string> = {};
  const n = raw.length;
  let i = 0;
  for (;;) {
    while (i < n && raw.charCodeAt(i) <= 32) i++;
    if (i >= n) return out;
    const eq = raw.indexOf('=', i);
    if (eq < 0) throw new XmlError(`en egenskab uden værdi: ${raw.slice(i, i + 40)}`);
    const name = raw.slice(i, eq).trim();
    let j = eq + 1;
    while (j < n && raw.charCodeAt(j) <= 32) j++;
    const q = raw[j];
    const end = q === '"' || q === "'" ? raw.indexOf(q, j + 1) : -1;
    if (end < 0) throw new XmlError(`egenskaben ${name} har ingen værdi i anførselstegn`);
    out[localName(name)] = decodeEntities(raw.slice(j + 1, end));
    i = end + 1;
  }
}

/** The value of one attribute (by local name), or undefined. */
export function attr(raw: string, name: string): string | undefined {
  return raw.includes(name) ? attrsOf(raw)[name] : undefined;
}

/** Whether every quote opened in b[from, to) is closed there (a '>' inside an attribute value ends no tag). */
function quotesClosed(b: string, from: number, to: number): boolean {
  const seg = b.slice(from, to);
  if (!seg.includes('"') && !seg.includes("'")) return true;
  let quote = 0;
  for (let i = 0; i < seg.length; i++) {
    const c = seg.charCodeAt(i);
    if (quote) {
      if (c === quote) quote = 0;
    } else if (c === 34 || c === 39) quote = c;
  }
  return quote === 0;
}

export class XmlScanner {
  private buf = '';
  private pos = 0;

  constructor(private readonly h: XmlHandler, private readonly maxToken: number) {}

  push(chunk: string): void {
    this.buf = this.pos < this.buf.length ? this.buf.slice(this.pos) + chunk : chunk;
    this.pos = 0;
    this.scan(false);
  }

  end(): void {
    this.scan(true);
    if (this.pos < this.buf.length) throw new XmlError('delen slutter midt i et mærke');
  }

  private tooLong(): never {
    throw new XmlLimitError(`et mærke eller en tekst er længere end ${this.maxToken} tegn`);
  }

  /** The index just past `end` from `from`, or -1 when not in the buffer yet. */
  private until(from: number, end: string): number {
    const i = this.buf.indexOf(end, from);
    if (i < 0) {
      if (this.buf.length - this.pos > this.maxToken) this.tooLong();
      return -1;
    }
    return i + end.length;
  }

  private scan(final: boolean): void {
    const b = this.buf;
    for (;;) {
      const p = this.pos;
      if (p >= b.length) return;
      if (b.charCodeAt(p) !== 60 /* < */) {
        const lt = b.indexOf('<', p);
        if (lt < 0 && !final) {
          if (b.length - p > this.maxToken) this.tooLong();
          return;
        }
        const end = lt < 0 ? b.length : lt;
        if (end - p > this.maxToken) this.tooLong();
        if (this.h.text) this.h.text(decodeEntities(b.slice(p, end)));
        this.pos = end;
        continue;
      }
      if (b.startsWith('<!--', p)) {
        const e = this.until(p + 4, '-->');
        if (e < 0) return;
        this.pos = e;
        continue;
      }
      if (b.startsWith('<![CDATA[', p)) {
        const e = this.until(p + 9, ']]>');
        if (e < 0) return;
        this.h.text?.(b.slice(p + 9, e - 3));
        this.pos = e;
        continue;
      }
      if (b.startsWith('<?', p)) {
        const e = this.until(p + 2, '?>');
        if (e < 0) return;
        this.pos = e;
        continue;
      }
      if (b.startsWith('<!', p)) {
        if (b.length - p < 9 && !final) return;
        throw new XmlError('delen har en DOCTYPE-erklæring, som et regneark ikke har');
      }
      // a tag: its end is the first '>' outside a quoted attribute value
      let e = b.indexOf('>', p + 1);
      for (;;) {
        if (e < 0) {
          if (b.length - p > this.maxToken) this.tooLong();
          return;
        }
        if (e - p > this.maxToken) this.tooLong();
        if (quotesClosed(b, p, e)) break;
        e = b.indexOf('>', e + 1);
      }
      this.tag(b.slice(p + 1, e));
      this.pos = e + 1;
    }
  }

  private tag(body: string): void {
    if (body[0] === '/') {
      this.h.close?.(localName(body.slice(1).trim()));
      return;
    }
    const selfClosing = body.endsWith('/');
    const inner = selfClosing ? body.slice(0, -1) : body;
    const m = /^[^\s/>]+/.exec(inner);
    if (!m) throw new XmlError(`et mærke uden navn: <${body.slice(0, 40)}>`);
    this.h.open?.(localName(m[0]), inner.slice(m[0].length));
    if (selfClosing) this.h.close?.(localName(m[0]));
  }
}
