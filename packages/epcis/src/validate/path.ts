/** JavaScript-style paths (`epcisBody.eventList[2]["gs1:certificationAuditDate"]`) for messages. */

const IDENTIFIER = /^[A-Za-z_$@][A-Za-z0-9_$@]*$/;

export function childPath(parent: string, key: string | number): string {
  if (typeof key === "number") return `${parent}[${key}]`;
  if (IDENTIFIER.test(key)) return parent === "" ? key : `${parent}.${key}`;
  return `${parent}[${JSON.stringify(key)}]`;
}

/** Converts an RFC 6901 JSON pointer (ajv's `instancePath`) under `base`. */
export function pointerToPath(base: string, pointer: string): string {
  if (pointer === "") return base;
  let out = base;
  for (const raw of pointer.slice(1).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    out = /^(0|[1-9][0-9]*)$/.test(key) ? childPath(out, Number(key)) : childPath(out, key);
  }
  return out;
}

/** A short, quoted rendering of a value for messages. */
export function show(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
