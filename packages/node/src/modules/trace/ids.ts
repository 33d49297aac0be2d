/**
 * Ledger ids of EPCIS events: the CBV 2.0 event hash `ni:///sha-256;<64 hex>?ver=CBV2.0`. State keys
 * and index keys use the hex alone.
 */
export const EVENT_ID_PATTERN = "^ni:///sha-256;[0-9a-f]{64}\\?ver=CBV2\\.0$";
const EVENT_ID = new RegExp(EVENT_ID_PATTERN);
const LOOSE_EVENT_ID = /^ni:\/\/\/sha-256;([0-9a-fA-F]{64})\?ver=CBV2\.0$/;

export function isEventId(value: string): boolean {
  return EVENT_ID.test(value);
}

/** The hex of a ledger id (upper-case hex accepted), or undefined when `value` is not one. */
export function eventIdHex(value: string): string | undefined {
  const m = LOOSE_EVENT_ID.exec(value);
  return m ? (m[1] as string).toLowerCase() : undefined;
}

export function eventIdOf(hex: string): string {
  return `ni:///sha-256;${hex}?ver=CBV2.0`;
}
