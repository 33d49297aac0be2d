import { idError } from "./errors.js";

/**
 * EPC pure identity URIs of TDS 2.0 that carry no GS1 key — GID, US DoD, ADI, BIC (containers) and
 * IMO vessel numbers. They name one object, have no GS1 element string and so no Digital Link form:
 * parseEpcUri does not take them; EPCIS still carries them, so their syntax is checked here.
 */

/** One character of a URN component: set 82 written raw, or `"%&/<>?` escaped (TDS URN syntax). */
const URN_CHAR = "(?:[A-Za-z0-9!'()*+,\\-.:;=_]|%(?:22|25|26|2[Ff]|3[CcEeFf]))";
const COMPONENT = new RegExp(`^${URN_CHAR}{1,300}$`);

/** Non-empty URI-escaped components (ADI and US DoD: checked loosely). */
function loose(parts: readonly string[]): string | undefined {
  return parts.every((p) => COMPONENT.test(p)) ? undefined : "has an empty or invalid component";
}

const SCHEMES: Readonly<Record<string, (parts: readonly string[]) => string | undefined>> = {
  gid: ([m, c, s, ...rest]) => {
    if (rest.length > 0 || m === undefined || c === undefined || s === undefined)
      return "is not manager.class.serial";
    if (!/^[0-9]{1,9}$/.test(m) || !/^[0-9]{1,8}$/.test(c) || !/^[0-9]{1,11}$/.test(s))
      return "manager, class and serial must be decimal numbers";
    return undefined;
  },
  usdod: loose,
  adi: loose,
  bic: (parts) =>
    parts.length === 1 && /^[A-Z]{3}[UJZ][0-9]{7}$/.test(parts[0] ?? "")
      ? undefined
      : "is not a BIC container code",
  imovn: (parts) =>
    parts.length === 1 && /^[0-9]{7}$/.test(parts[0] ?? "") ? undefined : "is not a 7-digit IMO number",
};

/** `urn:epc:id:` schemes handled here. */
export const OTHER_EPC_SCHEMES: readonly string[] = Object.keys(SCHEMES);

/** True for `urn:epc:id:` schemes handled here (`scheme` lower-case). */
export function isOtherEpcScheme(scheme: string): boolean {
  return Object.hasOwn(SCHEMES, scheme);
}

/** Checks the body of a `urn:epc:id:<scheme>:` URI; throws an IdentifierError naming `uri`. */
export function checkOtherEpcUri(scheme: string, body: string, uri: string): void {
  const reason = SCHEMES[scheme]?.(body.split("."));
  if (reason !== undefined) throw idError("ID_SYNTAX", `EPC ${scheme} URI ${reason}`, uri);
}
