import type { AiElement } from "./ai.js";
import { decodeDigitalLinkValue } from "./charset.js";
import { idError } from "./errors.js";

/** URI-level syntax of Digital Links (RFC 3986 parts we accept); no GS1 semantics here. */

export const GS1_RESOLVER = "https://id.gs1.org";
const MAX_URI_LENGTH = 4096;

export interface UriParts {
  readonly scheme: "http" | "https";
  /** Lower-case host, with port when one was given (WHATWG URL normalisation). */
  readonly host: string;
  readonly path: string;
  readonly query: string | undefined;
}

/** Splits an absolute http(s) URI; refuses fragments, user info, spaces and non-ASCII. */
export function splitUri(uri: string, input: string): UriParts {
  if (uri.length > MAX_URI_LENGTH) {
    throw idError(
      "ID_SYNTAX",
      `a Digital Link is at most ${MAX_URI_LENGTH} characters`,
      `${uri.slice(0, 64)}…`,
    );
  }
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
  return { scheme, host: normaliseHost(m[2] ?? "", scheme, input), path: m[3] ?? "", query: m[4] };
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

/** Path segments; one trailing slash is tolerated, empty segments (`//`) are not. */
export function pathSegments(path: string, input: string): string[] {
  if (path === "" || path === "/") return [];
  const segs = path.slice(1).split("/");
  if (segs[segs.length - 1] === "") segs.pop();
  if (segs.some((s) => s === "")) throw idError("ID_SYNTAX", "empty path segment (//)", path, { input });
  return segs;
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

/** `/ai/value/ai/value…` with `encode` applied to each value. */
export function elementsPath(elements: readonly AiElement[], encode: (value: string) => string): string {
  return elements.map((e) => `/${e.ai}/${encode(e.value)}`).join("");
}
