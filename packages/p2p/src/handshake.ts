/**
 * The hello both sides send on channel 0 right after TLS: it pins the chain (id and genesis
 * hash) and repeats the node id, which must match the certificate the TLS layer authenticated.
 */
export const HELLO_TYPE = "weft-hello/v1";

export interface Hello {
  type: typeof HELLO_TYPE;
  chainId: string;
  genesisHash: string;
  nodeId: string;
}

/** Why a received hello is refused, or undefined when it is the hello we expect. */
export function helloMismatch(received: unknown, expected: Hello): string | undefined {
  if (typeof received !== "object" || received === null || Array.isArray(received))
    return "hello is not an object";
  const fields = received as Record<string, unknown>;
  const extra = Object.keys(fields).filter((k) => !Object.hasOwn(expected, k));
  if (extra.length > 0) return `hello has unknown fields: ${extra.join(", ")}`;
  for (const key of ["type", "chainId", "genesisHash", "nodeId"] as const) {
    if (fields[key] !== expected[key]) {
      return `${key} mismatch: expected ${JSON.stringify(expected[key])}, got ${JSON.stringify(fields[key])}`;
    }
  }
  return undefined;
}
