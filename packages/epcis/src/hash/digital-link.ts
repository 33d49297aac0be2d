/**
 * GS1 Digital Link URIs in the pre-hash string (CBV 2.0 event hash rule 18): a "constrained canonical"
 * DL URI — custom domain replaced by `https://id.gs1.org`, query string stripped, key names (`gtin`,
 * `sscc`, …) replaced by AIs, GTIN-8/12/13 padded to 14 digits, CPV (`/22/`) dropped, and only the most
 * fine-grained identification kept (a lot is dropped when a serial is present). The result must be
 * one of the AI combinations the rule lists (`00`, `01`, `01 21`, `01 10`, `01 235`, `253`, `255`,
 * `401`, `402`, `414`, `414 254`, `417`, `8003`, `8004`, `8006`, `8006 21`, `8006 10`, `8010`,
 * `8010 8011`, `8017`, `8018`) with values in the characters the reference implementation accepts;
 * anything else is not a GS1 key and stays as written.
 *
 * Follows the reference implementation step by step (so a custom-domain URI that merely contains an
 * AI-like path segment, e.g. `https://example.com/shop/01/12345678`, is normalised exactly as it
 * does). One deliberate difference: the reference tests the domain with an unescaped `.` in
 * `id.gs1.org`, we require that exact host.
 */

const KEY_SEGMENT =
  "01|gtin|8006|itip|8010|cpid|414|gln|417|party|8017|gsrnp|8018|gsrn|255|gcn|00|sscc|253|gdti|401|ginc|402|gsin|8003|grai|8004|giai";
const DL_SHAPE = new RegExp(
  String.raw`^https?:(?:\/\/(?:[^/?#]*@)?[^/?#:]*(?::[^/?#]*)?)?(?:[^?#]*\/(?:${KEY_SEGMENT})\/\d{4}[^/]+|\/[A-Za-z_-]{10}$)`,
);

const SHORT_NAMES: readonly (readonly [string, string])[] = [
  ["/gtin/", "/01/"],
  ["/itip/", "/8006/"],
  ["/cpid/", "/8010/"],
  ["/gln/", "/414/"],
  ["/party/", "/417/"],
  ["/gsrnp/", "/8017/"],
  ["/gsrn/", "/8018/"],
  ["/gcn/", "/255/"],
  ["/sscc/", "/00/"],
  ["/gdti/", "/253/"],
  ["/ginc/", "/401/"],
  ["/gsin/", "/402/"],
  ["/grai/", "/8003/"],
  ["/giai/", "/8004/"],
  ["/cpv/", "/22/"],
  ["/lot/", "/10/"],
  ["/ser/", "/21/"],
];

const ID = String.raw`https:\/\/id\.gs1\.org`;
const CANONICAL_DOMAIN = new RegExp(
  String.raw`^${ID}\/(?:01|8006|8010|414|417|8017|8018|255|00|253|401|402|8003|8004)\/\d{4}[^/]+`,
);
/** Primary keys in the order the reference implementation looks for them when replacing a domain. */
const PRIMARY_KEYS = [
  "00",
  "01",
  "253",
  "255",
  "401",
  "402",
  "414",
  "417",
  "8003",
  "8004",
  "8006",
  "8010",
  "8017",
  "8018",
];

// Characters allowed in alphanumeric AI values of the result: " ' - . 0-9 ; < = > ? A-Z _ a-z.
const C = String.raw`[\x22\x27\x2D\x2E\x30-\x39\x3B-\x3F\x41-\x5A\x5F\x61-\x7A]`;
const CS = String.raw`[\x22\x27\x2D\x2E\x2F\x30-\x39\x3B-\x3F\x41-\x5A\x5F\x61-\x7A]`;
const full = (source: string): RegExp => new RegExp(`^${ID}\\/${source}$`);

const CPV_ALONE = [
  full(String.raw`8006\/\d{18}\/22\/${C}{0,20}`),
  full(String.raw`01\/\d{14}\/22\/${C}{0,20}`),
];
const CPV_THEN_MORE = [
  full(String.raw`8006\/\d{18}\/22\/${CS}{0,20}`),
  full(String.raw`01\/\d{14}\/22\/${CS}{0,20}`),
];
const LOT_AND_SERIAL = [
  full(String.raw`8006\/\d{18}\/10\/${C}{0,20}\/21\/${C}{0,20}`),
  full(String.raw`01\/\d{14}\/10\/${C}{0,20}\/21\/${C}{0,20}`),
];
const VALID = [
  String.raw`00\/\d{18}`,
  String.raw`01\/\d{14}\/21\/${C}{0,20}`,
  String.raw`01\/\d{14}\/10\/${C}{0,20}`,
  String.raw`01\/\d{14}`,
  String.raw`01\/\d{14}\/235\/${C}{0,28}`,
  String.raw`253\/\d{13}${C}{0,17}`,
  String.raw`255\/\d{13}\d{0,12}`,
  String.raw`401\/${C}{0,30}`,
  String.raw`402\/\d{17}`,
  String.raw`414\/\d{13}`,
  String.raw`414\/\d{13}\/254\/${C}{0,20}`,
  String.raw`417\/\d{13}`,
  String.raw`8003\/\d{14}${C}{0,16}`,
  String.raw`8004\/${C}{0,30}`,
  String.raw`8006\/\d{18}\/21\/${C}{0,20}`,
  String.raw`8006\/\d{18}\/10\/${C}{0,20}`,
  String.raw`8006\/\d{18}`,
  String.raw`8010\/[\x23\x2D\x2F\x30-\x39\x41-\x5A]{0,30}\/8011\/\d{0,12}`,
  String.raw`8010\/[\x23\x2D\x2F\x30-\x39\x41-\x5A]{0,30}`,
  String.raw`8017\/\d{18}`,
  String.raw`8018\/\d{18}`,
].map(full);

const matchesAny = (patterns: readonly RegExp[], text: string): boolean => patterns.some((p) => p.test(text));

/** The constrained canonical form of a GS1 Digital Link URI, or `undefined` if `uri` is not one. */
export function constrainDigitalLink(uri: string): string | undefined {
  if (!DL_SHAPE.test(uri)) return undefined;
  let out = uri.includes("?") ? uri.slice(0, uri.indexOf("?")) : uri;
  for (const [name, ai] of SHORT_NAMES) out = out.replaceAll(name, ai);
  if (!CANONICAL_DOMAIN.test(out)) {
    for (const key of PRIMARY_KEYS) {
      const at = out.indexOf(`/${key}/`);
      if (at !== -1) {
        out = `https://id.gs1.org${out.slice(at)}`;
        break;
      }
    }
  }
  if (!/^https:\/\/id\.gs1\.org\/01\/\d{14}/.test(out)) {
    if (/^https:\/\/id\.gs1\.org\/01\/\d{13}/.test(out)) out = out.replaceAll("/01/", "/01/0");
    else if (/^https:\/\/id\.gs1\.org\/01\/\d{12}/.test(out)) out = out.replaceAll("/01/", "/01/00");
    else if (/^https:\/\/id\.gs1\.org\/01\/\d{8}/.test(out)) out = out.replaceAll("/01/", "/01/000000");
  }
  // Drop the consumer product variant: `/22/<cpv>` at the end, or `/22/<cpv>` before further qualifiers.
  const cpvAt = out.indexOf("/22/");
  if (cpvAt !== -1) {
    const afterCpv = out.slice(cpvAt + 4);
    if (matchesAny(CPV_ALONE, out)) out = out.slice(0, cpvAt);
    else if (matchesAny(CPV_THEN_MORE, out))
      out = out.slice(0, cpvAt) + afterCpv.slice(afterCpv.indexOf("/"));
  }
  // Keep only the finest identification: a serial makes the lot redundant.
  if (matchesAny(LOT_AND_SERIAL, out)) {
    const lotAt = out.indexOf("/10/");
    const afterLot = out.slice(lotAt + 4);
    out = out.slice(0, lotAt) + afterLot.slice(afterLot.indexOf("/"));
  }
  return matchesAny(VALID, out) ? out : undefined;
}
