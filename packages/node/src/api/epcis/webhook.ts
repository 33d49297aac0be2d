import { createHmac, timingSafeEqual } from "node:crypto";
import { CBV_VERSION, EPCIS_VERSION } from "./documents.js";

/** Header carrying the signature of a webhook delivery (EPCIS 2.0 REST binding). */
export const SIGNATURE_HEADER = "GS1-Signature";

/**
 * `sha256=<lower-case hex HMAC-SHA256>`, keyed with the UTF-8 bytes of the subscription's
 * `signatureToken`, over the exact bytes of the request body.
 */
export function signBody(body: string | Uint8Array, signatureToken: string): string {
  return `sha256=${createHmac("sha256", signatureToken).update(body).digest("hex")}`;
}

/** Receiver side: whether `header` is the signature of `body` under `signatureToken` (constant time). */
export function verifySignature(
  body: string | Uint8Array,
  signatureToken: string,
  header: string | undefined,
): boolean {
  if (typeof header !== "string") return false;
  const expected = Buffer.from(signBody(body, signatureToken));
  const given = Buffer.from(header.trim());
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export interface DeliveryResult {
  ok: boolean;
  status?: number;
  error?: string;
}

/** One POST of an EPCISQueryDocument to a subscriber. A 2xx answer is success. */
export async function postDocument(
  dest: string,
  body: string,
  signatureToken: string | undefined,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<DeliveryResult> {
  try {
    const response = await fetch(dest, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "GS1-EPCIS-Version": EPCIS_VERSION,
        "GS1-CBV-Version": CBV_VERSION,
        ...headers,
        ...(signatureToken === undefined ? {} : { [SIGNATURE_HEADER]: signBody(body, signatureToken) }),
      },
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
    // Drain so the connection can be reused.
    await response.arrayBuffer().catch(() => undefined);
    return response.ok
      ? { ok: true, status: response.status }
      : { ok: false, status: response.status, error: `HTTP ${response.status}` };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}
