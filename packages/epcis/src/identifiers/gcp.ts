import { MAX_GCP_LENGTH, MIN_GCP_LENGTH } from "./epc-fields.js";
import { idError } from "./errors.js";

/**
 * The length of the GS1 Company Prefix (GCP) of a key. An EPC URN states it (the first dot); a
 * Digital Link or element string does not, and it cannot be derived from the digits: GS1 Member
 * Organisations issue prefixes of different lengths. So converting a Digital Link to an EPC URN
 * takes it from the caller, never from a guess:
 *
 * - a number (6–12) when the caller knows the prefix (e.g. its own company's), or
 * - a lookup `(keyDigits) => length | undefined`, typically `gcpLengthTable(...)` built from
 *   GS1's published GCP length list (https://www.gs1.org/standards/bc-epc-interop, the
 *   "gcpprefixformatlist"), which maps digit prefixes to lengths.
 *
 * `keyDigits` is the key from the first digit of the GCP on: the GTIN-14 without its indicator
 * digit, the SSCC without its extension digit, the GRAI without its leading 0, and the whole value
 * for GLN, GSRN, GDTI, GCN, GSIN, GIAI, GINC, CPID.
 */
export type GcpLengthLookup = (keyDigits: string) => number | undefined;
export type CompanyPrefixLength = number | GcpLengthLookup;

/**
 * Longest-prefix lookup over `[prefix, gcpLength]` entries (or a `{prefix: gcpLength}` record).
 * A length of 0 (used by GS1's list for prefixes that hold no company prefixes, e.g. restricted
 * circulation numbers) means "no GCP": the lookup answers undefined for it.
 */
export function gcpLengthTable(
  entries: Iterable<readonly [string, number]> | Readonly<Record<string, number>>,
): GcpLengthLookup {
  const map = new Map<string, number>();
  const list: Iterable<readonly [string, number]> =
    Symbol.iterator in entries
      ? (entries as Iterable<readonly [string, number]>)
      : Object.entries(entries as Readonly<Record<string, number>>);
  for (const [prefix, length] of list) {
    if (!/^\d{1,12}$/.test(prefix))
      throw idError("ID_GCP_LENGTH", "GCP table prefixes are 1 to 12 digits", String(prefix));
    if (!Number.isInteger(length) || length < 0 || length > MAX_GCP_LENGTH) {
      throw idError("ID_GCP_LENGTH", `GCP table lengths are integers 0..${MAX_GCP_LENGTH}`, String(length));
    }
    map.set(prefix, length);
  }
  return (keyDigits: string) => {
    for (let n = Math.min(MAX_GCP_LENGTH, keyDigits.length); n >= 1; n--) {
      const length = map.get(keyDigits.slice(0, n));
      if (length !== undefined) return length === 0 ? undefined : length;
    }
    return undefined;
  };
}

/** Resolves the GCP length for `keyDigits`; throws unless it is an integer 6..12 that the key can hold. */
export function resolveGcpLength(
  spec: CompanyPrefixLength | undefined,
  keyDigits: string,
  input: string,
): number {
  if (spec === undefined) {
    throw idError(
      "ID_GCP_UNKNOWN",
      "the GS1 Company Prefix length is needed to write an EPC URN: pass companyPrefixLength (a number or a gcpLengthTable lookup)",
      keyDigits,
      { input },
    );
  }
  if (typeof spec !== "number" && typeof spec !== "function") {
    throw idError(
      "ID_GCP_LENGTH",
      "companyPrefixLength is a number or a lookup function (see gcpLengthTable)",
      String(spec),
      {
        input,
      },
    );
  }
  const length = typeof spec === "number" ? spec : spec(keyDigits);
  if (length === undefined) {
    throw idError("ID_GCP_UNKNOWN", "the GCP length table has no entry for this key", keyDigits, { input });
  }
  if (!Number.isInteger(length) || length < MIN_GCP_LENGTH || length > MAX_GCP_LENGTH) {
    throw idError(
      "ID_GCP_LENGTH",
      `GS1 Company Prefix length ${length} cannot be written as an EPC URN (${MIN_GCP_LENGTH} to ${MAX_GCP_LENGTH} digits)`,
      String(length),
      { input },
    );
  }
  return length;
}
