import { X509Certificate } from "node:crypto";
import { type PublicKeyInfo, validatePublicKey } from "@weft/core";
import { CliError } from "./errors.js";
import { readInput } from "./files.js";

/**
 * What a new organisation hands the consortium (`weft org init` writes it, `weft org add` proposes
 * it): public material only. The fields are those of identity.addOrg, plus the validator key
 * the organisation's node signs blocks with.
 */
export interface MembershipRequest {
  type: "weft-membership-request/v1";
  chainId: string;
  name: string;
  caCerts: string[];
  nodes: { id: string; host: string; port: number }[];
  gs1: { companyPrefixes: string[]; glns: string[] };
  admin: { id: string; publicKey: PublicKeyInfo; address: string };
  validator: { name: string; publicKey: PublicKeyInfo; address: string };
}

export const MEMBERSHIP_REQUEST_TYPE = "weft-membership-request/v1";

/** Reads and checks `--request`: unreadable, not JSON or malformed is CLI_BAD_INPUT (exit 2). */
export function readMembershipRequest(path: string): MembershipRequest {
  const text = readInput(path, "--request file");
  const fail = (message: string): never => {
    throw new CliError({ code: "CLI_BAD_INPUT", message: `${path}: ${message}`, exitCode: 2 });
  };
  let v: Record<string, unknown> = {};
  try {
    v = JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    fail(`not valid JSON: ${(e as Error).message}`);
  }
  if (v === null || typeof v !== "object" || Array.isArray(v)) fail("must be a JSON object");
  if (v.type !== MEMBERSHIP_REQUEST_TYPE)
    fail(`type must be "${MEMBERSHIP_REQUEST_TYPE}" (made by \`weft org init\`)`);
  const str = (value: unknown, field: string): string =>
    typeof value === "string" && value !== "" ? value : fail(`${field} must be a non-empty string`);
  str(v.chainId, "chainId");
  str(v.name, "name");
  if (!Array.isArray(v.caCerts) || v.caCerts.length === 0)
    fail("caCerts must list at least one PEM certificate");
  (v.caCerts as unknown[]).forEach((pem, i) => {
    try {
      if (!new X509Certificate(str(pem, `caCerts[${i}]`)).ca) fail(`caCerts[${i}] is not a CA certificate`);
    } catch (e) {
      if (e instanceof CliError) throw e;
      fail(`caCerts[${i}] does not parse: ${(e as Error).message}`);
    }
  });
  if (!Array.isArray(v.nodes)) fail("nodes must be a list");
  (v.nodes as { id?: unknown; host?: unknown; port?: unknown }[]).forEach((n, i) => {
    str(n?.id, `nodes[${i}].id`);
    str(n?.host, `nodes[${i}].host`);
    if (!Number.isSafeInteger(n?.port) || (n.port as number) < 1 || (n.port as number) > 65_535)
      fail(`nodes[${i}].port must be a port number`);
  });
  const gs1 = v.gs1 as { companyPrefixes?: unknown; glns?: unknown } | undefined;
  for (const field of ["companyPrefixes", "glns"] as const) {
    const list = gs1?.[field];
    if (!Array.isArray(list) || list.some((x) => typeof x !== "string"))
      fail(`gs1.${field} must be a list of strings`);
  }
  for (const who of ["admin", "validator"] as const) {
    const entry = v[who] as { publicKey?: PublicKeyInfo } | undefined;
    if (entry === null || typeof entry !== "object") fail(`${who} must be an object`);
    str(
      who === "admin" ? (entry as { id?: unknown }).id : (entry as { name?: unknown }).name,
      `${who}.${who === "admin" ? "id" : "name"}`,
    );
    try {
      validatePublicKey(entry?.publicKey as PublicKeyInfo);
    } catch (e) {
      fail(`${who}.publicKey: ${(e as Error).message}`);
    }
  }
  return v as unknown as MembershipRequest;
}
