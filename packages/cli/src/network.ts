import { existsSync, readFileSync } from "node:fs";
import { isIP } from "node:net";
import { basename, dirname, join } from "node:path";
import { homePaths } from "@weft/node";
import { parseInteger } from "./args.js";
import { CliError, usage } from "./errors.js";

/*
 * A network folder (`weft init --orgs N`) holds genesis.json, network.json, keys/ (account keys)
 * and one node home per organisation, `<root>/<org>/`, with network.json again and the node's
 * key and TLS identity. A single-node home has genesis.json and node-key.json and no network.json.
 */

/** Defaults of `weft init --orgs`: org i (from 1) gets API port 8080 + i and peer port 26600 + i. */
export const DEFAULT_NETWORK_API_PORT = 8081;
export const DEFAULT_PEER_PORT = 26_601;
export const DEFAULT_NETWORK_HOST = "127.0.0.1";
export const MAX_ORGS = 100;

/** A network folder: network.json without a node key of its own (node homes have both). */
export function isNetworkRoot(dir: string): boolean {
  const paths = homePaths(dir);
  return existsSync(paths.network) && !existsSync(paths.nodeKey);
}

/** A node home of a multi-organisation network. */
export function isNetworkNode(dir: string): boolean {
  const paths = homePaths(dir);
  return existsSync(paths.network) && existsSync(paths.nodeKey);
}

export interface NetworkPeer {
  org: string;
  id: string;
  host: string;
  port: number;
  validator: string | undefined;
}

/**
 * The organisations and nodes listed in `<dir>/network.json`, in file order. Only what the CLI
 * shows is read here; the node checks the file strictly when it starts.
 */
export function readPeers(dir: string): NetworkPeer[] {
  const path = homePaths(dir).network;
  const bad = (message: string) =>
    new CliError({ code: "CLI_BAD_CONFIG", message: `${path}: ${message}`, exitCode: 2 });
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw bad((e as Error).message);
  }
  const orgs = (value as { orgs?: unknown } | null)?.orgs;
  if (!Array.isArray(orgs)) throw bad("has no orgs list");
  return orgs.flatMap((org: { name?: unknown; nodes?: unknown }, i) => {
    if (typeof org?.name !== "string" || !Array.isArray(org.nodes)) throw bad(`orgs[${i}] is malformed`);
    return (org.nodes as { id?: unknown; host?: unknown; port?: unknown; validator?: unknown }[]).map(
      (n, j) => {
        if (typeof n?.id !== "string" || typeof n.host !== "string" || typeof n.port !== "number")
          throw bad(`orgs[${i}].nodes[${j}] is malformed`);
        const validator = typeof n.validator === "string" ? n.validator : undefined;
        return { org: org.name as string, id: n.id, host: n.host, port: n.port, validator };
      },
    );
  });
}

/** Organisation names of a network folder, in network.json order, without repeats. */
export function orgNames(root: string): string[] {
  return [...new Set(readPeers(root).map((p) => p.org))];
}

/** The network folder `home` sits in as one of its organisations' node homes, if any. */
export function enclosingRoot(home: string): string | undefined {
  const parent = dirname(home);
  if (parent === home || !isNetworkNode(home) || !isNetworkRoot(parent)) return undefined;
  try {
    return orgNames(parent).includes(basename(home)) ? parent : undefined;
  } catch {
    return undefined;
  }
}

/** `--node <org>` against the network folder `root`: that organisation's node home. */
export function nodeHomeIn(root: string, org: string): string {
  if (!isNetworkRoot(root)) {
    const what = isNetworkNode(root)
      ? "is already one organisation's node home (drop --node, or pass the network folder as --home)"
      : existsSync(homePaths(root).genesis)
        ? "is a single-node home (--node needs a network folder made by `weft init --orgs`)"
        : "holds no network (create one with `weft init --orgs N`)";
    throw new CliError({ code: "CLI_NO_NETWORK", message: `--node ${org}: ${root} ${what}`, exitCode: 2 });
  }
  const orgs = orgNames(root);
  if (!orgs.includes(org)) {
    throw new CliError({
      code: "CLI_UNKNOWN_NODE",
      message: `--node ${org}: the network in ${root} has no organisation "${org}" (it has ${orgs.join(", ")})`,
      exitCode: 2,
    });
  }
  const home = join(root, org);
  if (!existsSync(homePaths(home).nodeKey)) {
    throw new CliError({
      code: "CLI_UNKNOWN_NODE",
      message: `--node ${org}: ${home} holds no node home (was it moved to its own machine?)`,
      exitCode: 2,
    });
  }
  return home;
}

/** Refuses to run a node command (start, audit, rebuild) on a network folder itself. */
export function requireNodeHome(home: string, shown: string, command: string): void {
  if (!isNetworkRoot(home)) return;
  const orgs = orgNames(home);
  const all = command === "start" ? `, or all of them in one process with \`weft --home ${shown} dev\`` : "";
  throw new CliError({
    code: "CLI_NETWORK_HOME",
    message: `${shown} is a network folder of ${orgs.length} organisations (${orgs.join(", ")}): pick one node with \`weft --home ${shown} ${command} --node <org>\`${all}`,
    exitCode: 2,
  });
}

// Organisation names become folder names, certificate subjects and node ids (`<org>-node`).
const ORG_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/;
const RESERVED = new Set(["keys", "data", "tls", "ca"]);

/** One organisation name (`org init --name`, `member add --org`): as `--orgs` names are checked. */
export function parseOrgName(value: string, name: string): string {
  if (!ORG_NAME.test(value)) {
    throw usage(
      `${name} "${value}" must be 1-32 letters, digits, '_' or '-', starting with a letter or digit`,
    );
  }
  if (RESERVED.has(value.toLowerCase()))
    throw usage(`${name} "${value}" is reserved (a folder of a network)`);
  return value;
}

/** `--orgs 4` → org1..org4; `--orgs acme,bolt` → those names (distinct, not reserved). */
export function parseOrgs(value: string): string[] {
  const text = value.trim();
  if (/^-?[0-9]+$/.test(text)) {
    const n = parseInteger(text, "--orgs", 1, MAX_ORGS);
    return Array.from({ length: n }, (_, i) => `org${i + 1}`);
  }
  const names = text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  if (names.length === 0) throw usage("--orgs needs a number of organisations or their names");
  if (names.length > MAX_ORGS)
    throw usage(`--orgs lists ${names.length} organisations (at most ${MAX_ORGS})`);
  for (const name of names) {
    if (!ORG_NAME.test(name)) {
      throw usage(
        `--orgs: organisation name "${name}" must be 1-32 letters, digits, '_' or '-', starting with a letter or digit`,
      );
    }
    if (RESERVED.has(name.toLowerCase()))
      throw usage(`--orgs: "${name}" is reserved (a folder of the network)`);
  }
  // Compared case-insensitively: on macOS and Windows two such names would share one folder.
  const seen = new Map<string, string>();
  for (const name of names) {
    const other = seen.get(name.toLowerCase());
    if (other === name) throw usage(`--orgs lists "${name}" twice`);
    if (other !== undefined) throw usage(`--orgs: "${other}" and "${name}" would share one folder`);
    seen.set(name.toLowerCase(), name);
  }
  return names;
}

/** The address other nodes dial: an IP or a DNS name; never a wildcard listen address. */
export function parseNetworkHost(value: string): string {
  const host = value.trim();
  const dns =
    /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
  if (isIP(host) === 0 && !dns.test(host))
    throw usage(`--host "${value}" is neither an IP address nor a host name`);
  if (["0.0.0.0", "::"].includes(host)) {
    throw usage(
      `--host ${host} is a listen address; give the address other nodes dial (e.g. this machine's IP)`,
    );
  }
  return host;
}

/**
 * N consecutive ports from `base` for each of API and peers: all within 1..65535, the two ranges
 * disjoint (every node of a one-machine network listens on both).
 */
export function checkPortRanges(orgs: number, apiBase: number, peerBase: number): void {
  const range = (flag: string, base: number) => {
    const max = 65_535 - (orgs - 1);
    if (!Number.isSafeInteger(base) || base < 1 || base > max) {
      throw usage(`${flag} must be between 1 and ${max} for ${orgs} organisations (got ${base})`);
    }
  };
  range("--api-port", apiBase);
  range("--peer-port", peerBase);
  if (apiBase < peerBase + orgs && peerBase < apiBase + orgs) {
    throw usage(
      `--api-port ${apiBase}..${apiBase + orgs - 1} and --peer-port ${peerBase}..${peerBase + orgs - 1} overlap`,
    );
  }
}
