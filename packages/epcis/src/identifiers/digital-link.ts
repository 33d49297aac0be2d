import {
  type AiElement,
  checkQualifierSequence,
  DL_LEGACY_ALPHAS,
  isPrimaryKeyAi,
  qualifierAis,
  validateAiValue,
} from "./ai.js";
import { checkAiAssociations } from "./ai-associations.js";
import { decodeDigitalLinkValue, encodeDigitalLinkValue } from "./charset.js";
import { normalizeGtin } from "./check-digit.js";
import {
  compressDigitalLinkUri,
  decompressDigitalLink,
  grammarAccepts,
  grammarRemainder,
  isCompressedDigitalLink,
} from "./dl-library.js";
import { idError, withContext } from "./errors.js";
import type { DigitalLink } from "./types.js";

export const GS1_RESOLVER = "https://id.gs1.org";
const MAX_URI_LENGTH = 4096;

interface Parts {
  scheme: string;
  host: string;
  path: string;
  query: string | undefined;
}

function splitUri(uri: string, input: string): Parts {
  if (uri.length > MAX_URI_LENGTH)
    throw idError(
      "ID_SYNTAX",
      `a Digital Link is at most ${MAX_URI_LENGTH} characters`,
      `${uri.slice(0, 64)}…`,
    );
  if (/[^\x21-\x7e]/.test(uri)) {
    throw idError("ID_SYNTAX", "a Digital Link has printable ASCII characters only (no spaces)", uri, {
      input,
    });
  }
  if (uri.includes("#")) throw idError("ID_SYNTAX", "a Digital Link has no fragment (#…)", uri, { input });
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?]*)([^?]*)(?:\?(.*))?$/.exec(uri);
  if (!m) throw idError("ID_SYNTAX", "not an absolute http(s) URI", uri, { input });
  const scheme = (m[1] ?? "").toLowerCase();
  if (scheme !== "https" && scheme !== "http") {
    throw idError("ID_SYNTAX", `a Digital Link uses http or https, not ${scheme}`, uri, { input });
  }
  return { scheme, host: normaliseHost(m[2] ?? "", scheme, uri), path: m[3] ?? "", query: m[4] };
}

function normaliseHost(authority: string, scheme: string, input: string): string {
  if (authority === "" || authority.includes("@")) {
    throw idError("ID_SYNTAX", "a Digital Link needs a host (and no user info)", authority || input, {
      input,
    });
  }
  let url: URL;
  try {
    url = new URL(`${scheme}://${authority}/`);
  } catch {
    throw idError("ID_SYNTAX", "not a valid host", authority, { input });
  }
  if (url.hostname === "") throw idError("ID_SYNTAX", "not a valid host", authority, { input });
  return url.host;
}

function pathSegments(path: string, input: string): string[] {
  if (path === "" || path === "/") return [];
  const segs = path.slice(1).split("/");
  if (segs[segs.length - 1] === "") segs.pop(); // one trailing slash is tolerated
  if (segs.some((s) => s === "")) throw idError("ID_SYNTAX", "empty path segment (//)", path, { input });
  return segs;
}

function codeOf(segment: string): string {
  return DL_LEGACY_ALPHAS[segment] ?? segment;
}

/** Index of the primary-key AI segment: scanning (key, value) pairs from the end, like digital-link.js. */
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

function decodeQueryText(raw: string, input: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw idError("ID_SYNTAX", "malformed percent-encoding in the query string", raw, { input });
  }
}

/**
 * Parses and validates a GS1 Digital Link URI (uncompressed or compressed, any host, optional
 * path before the primary key, GS1 DL 1.0 short names accepted). Values come back decoded, GTINs
 * as GTIN-14. Throws an IdentifierError naming the offending part on anything invalid.
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
      let expanded: string;
      try {
        expanded = decompressDigitalLink(uri);
      } catch (e) {
        throw idError(
          "ID_DL_COMPRESSED",
          `compressed Digital Link does not decompress: ${(e as Error).message}`,
          uri,
        );
      }
      return parseAt(expanded, input, true);
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
  const base = `${scheme}://${host}${prefix.map((s) => `/${s}`).join("")}`;

  const primaryAi = codeOf(segs[at] ?? "");
  const primaryKey: AiElement = { ai: primaryAi, value: decodeAiValue(primaryAi, segs[at + 1] ?? "", input) };
  const seen = new Set<string>([primaryAi]);
  const qualifiers: AiElement[] = [];
  for (let i = at + 2; i < segs.length; i += 2) {
    const ai = codeOf(segs[i] ?? "");
    if (!/^\d{2,4}$/.test(ai)) {
      throw idError(
        "ID_DL_QUALIFIER",
        `path segment "${segs[i]}" after the primary key is not an AI`,
        segs[i] ?? "",
        {
          input,
        },
      );
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

  const attributes: AiElement[] = [];
  const extensions: { key: string; value: string }[] = [];
  let linkType: string | undefined;
  const grammarQuery: string[] = [];
  if (query !== undefined) {
    if (query === "") throw idError("ID_SYNTAX", "empty query string after ?", uri, { input });
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
          throw idError(
            "ID_DL_QUALIFIER",
            `AI (${ai}) qualifies AI (${primaryAi}) and belongs in the path, not the query`,
            ai,
            {
              input,
              ai,
            },
          );
        }
        seen.add(ai);
        const value = decodeAiValue(ai, rawValue, input);
        attributes.push({ ai, value });
        grammarQuery.push(`${ai}=${encodeDigitalLinkValue(value)}`);
      } else if (rawKey === "linkType") {
        if (linkType !== undefined) throw idError("ID_SYNTAX", "linkType given twice", param, { input });
        linkType = decodeQueryText(rawValue, input);
        grammarQuery.push(param);
      } else {
        extensions.push({ key: decodeQueryText(rawKey, input), value: decodeQueryText(rawValue, input) });
        grammarQuery.push(param);
      }
    }
  }

  checkAiAssociations([...seen], new Set(qualifiers.map((q) => q.ai)), input);

  // digital-link.js runs the grammar as ordered choice: `gtin-path` matches "/01/…" before
  // `upui-path` ("/01/…/235/…") is tried, likewise gln/partyGln/giai before their "/7040/…"
  // forms, so it refuses those valid paths. TPX (235) and UIC+EXT (7040) are fully checked by
  // validateAiValue above; the grammar sees the rest.
  const grammarPath = [primaryKey, ...qualifiers.filter((q) => q.ai !== "235" && q.ai !== "7040")];
  const grammarUri =
    GS1_RESOLVER +
    elementsPath(grammarPath, encodeDigitalLinkValue) +
    (grammarQuery.length ? `?${grammarQuery.join("&")}` : "");
  if (!grammarAccepts(grammarUri)) {
    const rest = grammarRemainder(grammarUri);
    throw idError("ID_DL_GRAMMAR", `refused by the GS1 Digital Link grammar at "${rest}"`, rest || uri, {
      input,
    });
  }

  const result: DigitalLink = {
    base,
    host,
    gs1Host: host === "id.gs1.org",
    compressed,
    primaryKey,
    qualifiers,
    attributes,
    extensions,
    ...(linkType !== undefined ? { linkType } : {}),
  };
  return result;
}

export function elementsPath(elements: readonly AiElement[], encode: (value: string) => string): string {
  return elements.map((e) => `/${e.ai}/${encode(e.value)}`).join("");
}

/** Checks and normalises a Digital Link base (`https://host[:port][/path]`); no trailing slash. */
export function normaliseBase(base: string): string {
  if (typeof base !== "string") throw idError("ID_BASE_URI", "base must be a string", String(base));
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)((?:\/[^/?#]+)*)\/?$/.exec(base);
  const scheme = (m?.[1] ?? "").toLowerCase();
  if (!m || (scheme !== "https" && scheme !== "http")) {
    throw idError("ID_BASE_URI", "base must be http(s)://host[/path] without query or fragment", base);
  }
  let host: string;
  try {
    host = normaliseHost(m[2] ?? "", scheme, base);
    for (const s of (m[3] ?? "").split("/").slice(1)) decodeDigitalLinkValue(s, "base path");
  } catch (e) {
    throw idError("ID_BASE_URI", (e as Error).message, base);
  }
  return `${scheme}://${host}${m[3] ?? ""}`;
}

/**
 * Builds a Digital Link URI from GS1 elements on `base` (default the GS1 resolver), values
 * percent-encoded as the DL grammar wants. Validates every element it writes.
 */
export function formatDigitalLink(
  id: { primaryKey: AiElement; qualifiers?: readonly AiElement[]; attributes?: readonly AiElement[] },
  base: string = GS1_RESOLVER,
): string {
  const root = normaliseBase(base);
  const uri =
    root +
    elementsPath([id.primaryKey, ...(id.qualifiers ?? [])], encodeDigitalLinkValue) +
    (id.attributes?.length
      ? `?${id.attributes.map((a) => `${a.ai}=${encodeDigitalLinkValue(a.value)}`).join("&")}`
      : "");
  parseDigitalLink(uri);
  return uri;
}

/** Compressed form of a Digital Link (GS1 DL compression via digital-link.js); validated first. */
export function compressDigitalLink(uri: string): string {
  const dl = parseDigitalLink(uri);
  return compressDigitalLinkUri(
    formatDigitalLink(
      { primaryKey: dl.primaryKey, qualifiers: dl.qualifiers, attributes: dl.attributes },
      dl.base,
    ),
  );
}
