/**
 * Where the parts of an EPCIS capture document sit in its JSON text, so a document can be split
 * into several smaller documents that keep every event's exact text (decimal sensor values, key
 * order, large integers) instead of re-serialising parsed values. The text must already have
 * passed `JSON.parse`: this scanner trusts it is well-formed.
 */

export interface Span {
  start: number;
  end: number;
}

export interface DocumentLayout {
  /** Top-level members other than `epcisBody`, in text order (a repeated key: its last value). */
  members: { key: string; span: Span }[];
  /** Each element of `epcisBody.eventList`, in order. */
  events: Span[];
}

const WS = new Set([" ", "\t", "\n", "\r"]);

class Scanner {
  constructor(readonly text: string) {}

  ws(i: number): number {
    while (i < this.text.length && WS.has(this.text.charAt(i))) i++;
    return i;
  }

  stringEnd(i: number): number {
    i++;
    while (i < this.text.length) {
      const c = this.text.charAt(i);
      if (c === "\\") i += 2;
      else if (c === '"') return i + 1;
      else i++;
    }
    throw new Error("unterminated string");
  }

  /** End (exclusive) of the value starting at `i` (no leading white space). */
  valueEnd(i: number): number {
    const c = this.text.charAt(i);
    if (c === '"') return this.stringEnd(i);
    if (c === "{") return this.object(i, () => {});
    if (c === "[") return this.array(i, () => {});
    while (i < this.text.length && !",]}".includes(this.text.charAt(i)) && !WS.has(this.text.charAt(i))) i++;
    return i;
  }

  /** Walks an object from its `{`; calls `member` with each key and value span. Returns its end. */
  object(i: number, member: (key: string, span: Span) => void): number {
    i = this.ws(i + 1);
    if (this.text.charAt(i) === "}") return i + 1;
    for (;;) {
      const keyEnd = this.stringEnd(i);
      const key = JSON.parse(this.text.slice(i, keyEnd)) as string;
      i = this.ws(keyEnd);
      if (this.text.charAt(i) !== ":") throw new Error(`expected : at ${i}`);
      const start = this.ws(i + 1);
      const end = this.valueEnd(start);
      member(key, { start, end });
      i = this.ws(end);
      const sep = this.text.charAt(i);
      if (sep === "}") return i + 1;
      if (sep !== ",") throw new Error(`expected , or } at ${i}`);
      i = this.ws(i + 1);
    }
  }

  array(i: number, element: (span: Span) => void): number {
    i = this.ws(i + 1);
    if (this.text.charAt(i) === "]") return i + 1;
    for (;;) {
      const end = this.valueEnd(i);
      element({ start: i, end });
      i = this.ws(end);
      const sep = this.text.charAt(i);
      if (sep === "]") return i + 1;
      if (sep !== ",") throw new Error(`expected , or ] at ${i}`);
      i = this.ws(i + 1);
    }
  }
}

/** The layout of a capture document's text; undefined if it is not an object with an event list. */
export function documentLayout(text: string): DocumentLayout | undefined {
  try {
    const scanner = new Scanner(text);
    const start = scanner.ws(0);
    if (text.charAt(start) !== "{") return undefined;
    const members = new Map<string, Span>();
    let body: Span | undefined;
    scanner.object(start, (key, span) => {
      if (key === "epcisBody") body = span;
      else {
        members.delete(key);
        members.set(key, span);
      }
    });
    if (!body || text.charAt(body.start) !== "{") return undefined;
    let list: Span | undefined;
    scanner.object(body.start, (key, span) => {
      if (key === "eventList") list = span;
    });
    if (!list || text.charAt(list.start) !== "[") return undefined;
    const events: Span[] = [];
    scanner.array(list.start, (span) => events.push(span));
    return { members: [...members].map(([key, span]) => ({ key, span })), events };
  } catch {
    return undefined;
  }
}

const slice = (text: string, span: Span) => text.slice(span.start, span.end);

/**
 * A capture document with the same top-level members (`@context`, header, sender …) as the
 * original and only the events at `indexes`, each with its original text.
 */
export function documentWithEvents(text: string, layout: DocumentLayout, indexes: readonly number[]): string {
  const members = layout.members.map(({ key, span }) => `${JSON.stringify(key)}:${slice(text, span)}`);
  const events = indexes.map((i) => {
    const span = layout.events[i];
    if (!span) throw new Error(`no event ${i} in the document`);
    return slice(text, span);
  });
  return `{${[...members, `"epcisBody":{"eventList":[${events.join(",")}]}`].join(",")}}`;
}

/** The exact text of event `index`. */
export function eventText(text: string, layout: DocumentLayout, index: number): string {
  const span = layout.events[index];
  if (!span) throw new Error(`no event ${index} in the document`);
  return slice(text, span);
}
