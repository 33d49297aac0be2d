import { canonicalIdentifier, type DigitalLink, formatDigitalLink, GS1_RESOLVER } from "@weft/epcis";
import { isInstanceLevel } from "../../verify/verify.js";

/** GS1 Digital Link primary keys this node resolves (GS1 Digital Link URI syntax 1.x). */
export const PRIMARY_KEYS = [
  "00",
  "01",
  "253",
  "255",
  "401",
  "402",
  "414",
  "415",
  "417",
  "8003",
  "8004",
  "8006",
  "8010",
  "8013",
  "8017",
  "8018",
] as const;

/** GS1 Web Vocabulary link types (https://gs1.org/voc/) this node answers. */
export const LINK_TYPES = {
  pip: "https://gs1.org/voc/pip",
  traceability: "https://gs1.org/voc/traceability",
  verificationService: "https://gs1.org/voc/verificationService",
  defaultLink: "https://gs1.org/voc/defaultLink",
} as const;

export interface LinkTarget {
  href: string;
  title: string;
  type: string;
}

/** An RFC 9264 linkset (`application/linkset+json`) with one context: the identified item. */
export interface Linkset {
  linkset: [{ anchor: string } & Record<string, LinkTarget[] | string>];
}

export interface ResolverConfig {
  /** This node's base URL (links to its EPCIS query and verification endpoints). */
  base: string;
  pipUrlTemplate: string;
}

/** Which EPCIS query finds the identifier's events: the item, a class/lot, or a location. */
function traceabilityQuery(dl: DigitalLink, id: string): string | undefined {
  if (dl.primaryKey.ai === "414") return `EQ_bizLocation=${encodeURIComponent(id)}`;
  if (dl.primaryKey.ai === "415" || dl.primaryKey.ai === "417") return undefined;
  if (isInstanceLevel(dl)) return `MATCH_anyEPC=${encodeURIComponent(id)}`;
  return `MATCH_anyEPCClass=${encodeURIComponent(id)}`;
}

/** The `gs1:pip` URL from the configured template. */
export function pipUrl(template: string, dl: DigitalLink, path: string): string {
  const q = (ai: string) => dl.qualifiers.find((e) => e.ai === ai)?.value ?? "";
  const values: Record<string, string> = {
    dl: path,
    ai: dl.primaryKey.ai,
    key: encodeURIComponent(dl.primaryKey.value),
    gtin: dl.primaryKey.ai === "01" ? dl.primaryKey.value : "",
    serial: encodeURIComponent(q("21")),
    lot: encodeURIComponent(q("10")),
  };
  return template.replace(/\{(dl|ai|key|gtin|serial|lot)\}/g, (_, name: string) => values[name] ?? "");
}

/**
 * The linkset of a parsed Digital Link: product information (`gs1:pip`, from the template), this
 * node's EPCIS events of the identifier (`gs1:traceability`), this node's verification service for
 * a serialised item (`gs1:verificationService`), and `gs1:defaultLink` (pip, else traceability).
 * The anchor is the identifier on id.gs1.org (primary key and qualifiers, no query).
 */
export function linksetOf(dl: DigitalLink, config: ResolverConfig): Linkset {
  const anchor = formatDigitalLink({ primaryKey: dl.primaryKey, qualifiers: dl.qualifiers }, GS1_RESOLVER);
  const path = anchor.slice(GS1_RESOLVER.length);
  const id = canonicalIdentifier(anchor);
  const links: Record<string, LinkTarget[]> = {};
  const pip: LinkTarget = {
    href: pipUrl(config.pipUrlTemplate, dl, path),
    title: "Product information",
    type: "text/html",
  };
  if (dl.primaryKey.ai === "01" || dl.primaryKey.ai === "8006") links[LINK_TYPES.pip] = [pip];
  const query = traceabilityQuery(dl, id);
  if (query) {
    links[LINK_TYPES.traceability] = [
      {
        href: `${config.base}/epcis/events?${query}`,
        title: "EPCIS events of this identifier on the ledger",
        type: "application/json",
      },
    ];
  }
  if (isInstanceLevel(dl)) {
    links[LINK_TYPES.verificationService] = [
      {
        href: `${config.base}/verify?dl=${encodeURIComponent(anchor)}`,
        title: "Verify this item (add scanner=<id>; GET or POST)",
        type: "application/json",
      },
    ];
  }
  const fallback = links[LINK_TYPES.pip]?.[0] ?? links[LINK_TYPES.traceability]?.[0];
  if (fallback) links[LINK_TYPES.defaultLink] = [fallback];
  return { linkset: [{ anchor, ...links }] };
}

/** RFC 8288 `Link` header value listing a linkset's links (and the linkset itself). */
export function linkHeader(linkset: Linkset, self: string): string {
  const [context] = linkset.linkset;
  const parts: string[] = [];
  for (const [rel, targets] of Object.entries(context)) {
    if (rel === "anchor" || typeof targets === "string") continue;
    for (const t of targets) {
      parts.push(`<${t.href}>; rel="${rel}"; type="${t.type}"; title="${t.title.replaceAll('"', "'")}"`);
    }
  }
  parts.push(`<${self}>; rel="linkset"; type="application/linkset+json"`);
  return parts.join(", ");
}

/** The link type a `linkType` query names (`gs1:pip`, `pip`, or the full URI); undefined: unknown. */
export function linkTypeOf(value: string): string | undefined {
  const short = value.replace(/^gs1:/, "").replace(/^https?:\/\/gs1\.org\/voc\//, "");
  return (LINK_TYPES as Record<string, string>)[short];
}
