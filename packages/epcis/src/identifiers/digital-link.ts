import {
  type AiElement,
  checkQualifierSequence,
  DL_LEGACY_ALPHAS,
  DL_PRIMARY_KEYS,
  hasAiFormat,
  isPrimaryKeyAi,
  qualifierAis,
  validateAiValue,
} from "./ai.js";
import { checkAiAssociations } from "./ai-associations.js";
import { decodeDigitalLinkValue, encodeDigitalLinkValue } from "./charset.js";
import { normalizeGtin } from "./check-digit.js";
import {
  decompressDigitalLink,
  grammarAccepts,
  grammarRemainder,
  isCompressedDigitalLink,
} from "./dl-library.js";
import { elementsPath, GS1_RESOLVER, pathSegments, splitUri } from "./dl-uri.js";
import { idError, withContext } from "./errors.js";
import type { DigitalLink } from "./types.js";

/**
 * Parses and validates a GS1 Digital Link URI (uncompressed or compressed, any host, optional
 * path before the primary key, GS1 DL 1.0 short names such as /gtin/ accepted). Values come back
 * decoded, GTINs as GTIN-14. Throws an IdentifierError naming the offending part.
 *
 * Our checks (typed errors): URI syntax, percent-decoding, each key and qualifier's format and
 * check digit, qualifier order, duplicate AIs, qualifiers put in the query, GS1 invalid pairs and
 * mandatory associations. Then, when the link has a query string or a path AI whose format we do
 * not hold (GMN, 8013), the whole URI — every data attribute's format included — goes through the
 * GS1 DL grammar of digital-link.js (see dl-library.ts).
 *
 * Why the grammar is skipped for a path-only link of known AIs: there our checks are complete — the
 * grammar's path rules are the primary keys, key qualifiers and their orders of DL_PRIMARY_KEYS
 * and the AI formats of ai.ts (a unit test runs both on random paths) — and the grammar costs
 * 0.2–0.5 ms per link against ~3 µs for our checks: a capture document of 1,000 events with three
 * Digital Links each took over a second to validate instead of ~20 ms. Data attributes (≈150 AIs:
 * dates, measures, country codes …) are the grammar's alone, so a query string always goes through it.
 */
export function parseDigitalLink(uri: string): DigitalLink {
  if (typeof uri !== "string") throw idError("ID_SYNTAX", "a Digital Link is a string", String(uri));
  return parseAt(uri, uri, false);
}

function parseAt(uri: string, input: string, compressed: boolean): DigitalLink {
  const { scheme, host, path, query } = splitUri(uri, input);
  const segs = pathSegments(path, input);
  const at = primaryKeyIndex(segs);
  if (at < 0) {
    if (!compressed && query === undefined && segs.length > 0 && isCompressedDigitalLink(uri)) {
      return parseAt(decompress(uri), input, true);
    }
    throw idError(
      "ID_DL_NO_PRIMARY_KEY",
      "no GS1 primary key (e.g. /01/, /00/, /414/) in the path",
      path || uri,
      {
        input,
      },
    );
  }
  const prefix = segs.slice(0, at);
  withContext({ input }, () => {
    for (const s of prefix) decodeDigitalLinkValue(s, "path");
  });

  const primaryAi = codeOf(segs[at] ?? "");
  const primaryKey: AiElement = { ai: primaryAi, value: decodeAiValue(primaryAi, segs[at + 1] ?? "", input) };
  const seen = new Set<string>([primaryAi]);
  const qualifiers: AiElement[] = [];
  for (let i = at + 2; i < segs.length; i += 2) {
    const code = segs[i] ?? "";
    const ai = codeOf(code);
    if (!/^\d{2,4}$/.test(ai)) {
      throw idError("ID_DL_QUALIFIER", `path segment "${code}" after the primary key is not an AI`, code, {
        input,
      });
    }
    if (seen.has(ai)) throw idError("ID_DL_DUPLICATE_AI", `AI (${ai}) appears twice`, ai, { input, ai });
    seen.add(ai);
    qualifiers.push({ ai, value: decodeAiValue(ai, segs[i + 1] ?? "", input) });
  }
  checkQualifierSequence(
    primaryAi,
    qualifiers.map((q) => q.ai),
    input,
  );

  const q = query === undefined ? emptyQuery() : parseQuery(query, primaryAi, seen, input);
  checkAiAssociations([...seen], new Set(qualifiers.map((e) => e.ai)), input);
  if (query !== undefined || ![primaryKey, ...qualifiers].every((e) => hasAiFormat(e.ai))) {
    checkGrammar([primaryKey, ...qualifiers], q.grammarParams, input);
  }

  return {
    base: `${scheme}://${host}${prefix.map((s) => `/${s}`).join("")}`,
    host,
    gs1Host: host === "id.gs1.org",
    compressed,
    primaryKey,
    qualifiers,
    attributes: q.attributes,
    extensions: q.extensions,
    ...(q.linkType !== undefined ? { linkType: q.linkType } : {}),
  };
}

function decompress(uri: string): string {
  try {
    return decompressDigitalLink(uri);
  } catch (e) {
    throw idError(
      "ID_DL_COMPRESSED",
      `compressed Digital Link does not decompress: ${(e as Error).message}`,
      uri,
    );
  }
}

function codeOf(segment: string): string {
  return DL_LEGACY_ALPHAS[segment] ?? segment;
}

/** Index of the primary-key AI segment: (key, value) pairs scanned from the end, like digital-link.js. */
function primaryKeyIndex(segs: readonly string[]): number {
  for (let i = segs.length - 2; i >= 0; i -= 2) {
    if (isPrimaryKeyAi(codeOf(segs[i] ?? ""))) return i;
  }
  return -1;
}

function decodeAiValue(ai: string, raw: string, input: string): string {
  return withContext({ input, ai }, () => {
    const decoded = decodeDigitalLinkValue(raw, `AI (${ai})`);
    // GTIN-8/12/13 are accepted and padded (digital-link.js does the same); the DL form is GTIN-14.
    const value = ai === "01" && /^(\d{8}|\d{12,13})$/.test(decoded) ? normalizeGtin(decoded) : decoded;
    validateAiValue(ai, value);
    return value;
  });
}

interface Query {
  attributes: AiElement[];
  extensions: { key: string; value: string }[];
  linkType: string | undefined;
  /** The parameters as the grammar check sees them (AI values re-encoded). */
  grammarParams: string[];
}

function emptyQuery(): Query {
  return { attributes: [], extensions: [], linkType: undefined, grammarParams: [] };
}

/** Query string: numeric keys are GS1 data attributes, `linkType`, anything else an extension. */
function parseQuery(query: string, primaryAi: string, seen: Set<string>, input: string): Query {
  if (query === "") throw idError("ID_SYNTAX", "empty query string after ?", input);
  const out = emptyQuery();
  const ownQualifiers = qualifierAis(primaryAi);
  for (const param of query.split(/[&;]/)) {
    const eq = param.indexOf("=");
    if (eq <= 0) throw idError("ID_SYNTAX", "query parameters are key=value", param, { input });
    const rawKey = param.slice(0, eq);
    const rawValue = param.slice(eq + 1);
    if (/^\d+$/.test(rawKey)) {
      const ai = rawKey;
      if (seen.has(ai)) throw idError("ID_DL_DUPLICATE_AI", `AI (${ai}) appears twice`, ai, { input, ai });
      if (ownQualifiers.has(ai)) {
        const message = `AI (${ai}) qualifies AI (${primaryAi}) and belongs in the path, not the query`;
        throw idError("ID_DL_QUALIFIER", message, ai, { input, ai });
      }
      seen.add(ai);
      const value = decodeAiValue(ai, rawValue, input);
      out.attributes.push({ ai, value });
      out.grammarParams.push(`${ai}=${encodeForGrammar(value)}`);
    } else if (rawKey === "linkType") {
      if (out.linkType !== undefined) throw idError("ID_SYNTAX", "linkType given twice", param, { input });
      out.linkType = decodeQueryText(rawValue, input);
      out.grammarParams.push(param);
    } else {
      out.extensions.push({ key: decodeQueryText(rawKey, input), value: decodeQueryText(rawValue, input) });
      out.grammarParams.push(param);
    }
  }
  return out;
}

function decodeQueryText(raw: string, input: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw idError("ID_SYNTAX", "malformed percent-encoding in the query string", raw, { input });
  }
}

/**
 * The GS1 DL grammar (digital-link.js) over the reference form of the link. Two defects of the
 * grammar as shipped are stepped around: it spells set 82's double quote `DoubleQuote = '"'`
 * instead of `%22`, so `"` is handed to it literally; and it runs as ordered choice, so
 * `gtin-path` matches "/01/…" before `upui-path` ("/01/…/235/…") is tried, likewise the GLN, party
 * GLN and GIAI paths before their "/7040/…" forms — TPX (235) and UIC+EXT (7040) are fully checked
 * by validateAiValue, and the grammar sees the rest of the path.
 */
export function checkGrammar(path: readonly AiElement[], params: readonly string[], input: string): void {
  const shown = path.filter((e) => e.ai !== "235" && e.ai !== "7040");
  const uri =
    GS1_RESOLVER + elementsPath(shown, encodeForGrammar) + (params.length ? `?${params.join("&")}` : "");
  if (!grammarAccepts(uri)) {
    const rest = grammarRemainder(uri);
    throw idError("ID_DL_GRAMMAR", `refused by the GS1 Digital Link grammar at "${rest}"`, rest || uri, {
      input,
    });
  }
}

function encodeForGrammar(value: string): string {
  return encodeDigitalLinkValue(value).replace(/%22/g, '"');
}

/** DL path segments that can introduce a primary key: the AIs and their DL 1.0 short names. */
const KEY_SEGMENTS = [
  ...Object.keys(DL_PRIMARY_KEYS),
  ...Object.keys(DL_LEGACY_ALPHAS).filter((name) => isPrimaryKeyAi(DL_LEGACY_ALPHAS[name] ?? "")),
];
const KEY_PATH = new RegExp(
  `^[Hh][Tt][Tt][Pp][Ss]?://[^/?#]+(?:/[^/?#]*)*?/(?:${KEY_SEGMENTS.join("|")})/\\d`,
);

/**
 * True when `uri` is written as an (uncompressed) GS1 Digital Link: an http(s) URI whose path has
 * a primary-key segment (`/01/`, `/414/`, … or a DL 1.0 short name such as `/gtin/`) followed by a
 * value starting with a digit, as every GS1 key does. Says nothing of validity (parseDigitalLink
 * does); a URI without that shape is a private identifier, not a broken Digital Link.
 */
export function looksLikeDigitalLink(uri: string): boolean {
  return KEY_PATH.test(uri);
}
