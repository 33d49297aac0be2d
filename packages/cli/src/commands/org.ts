import { isAbsolute, relative } from "node:path";
import type { CanonicalValue, KeyAlgorithm, Validator } from "@weft/core";
import type { TxCall } from "@weft/sdk";
import { type Command, Option } from "commander";
import { integerOption } from "../args.js";
import { type CliContext, type CliIo, contextOf, type GlobalOptions } from "../context.js";
import { CliError, usage } from "../errors.js";
import { type ProposeFlags, propose, proposeOptions, renderReport, signer } from "../governance.js";
import { type MembershipRequest, readMembershipRequest } from "../membership.js";
import { DEFAULT_NETWORK_HOST, parseNetworkHost, parseOrgName } from "../network.js";
import { type NewOrgReport, readNetworkSource, writeNewOrgHome } from "../org-home.js";

interface InitFlags {
  name: string;
  host?: string;
  peerPort: number;
  apiPort: number;
  from: string;
  out: string;
  alg: KeyAlgorithm;
  companyPrefix?: string;
  gln?: string;
}

export function registerOrg(program: Command, io: CliIo): void {
  const org = program
    .command("org")
    .description("organisations of a permissioned network: join one, and add or remove members by vote");

  org
    .command("init")
    .description(
      "as a NEW organisation: create your CA, node (TLS certificate, validator key) and admin key, and a node home " +
        "for the network's genesis; prints the membership request to hand to the consortium",
    )
    .requiredOption("--name <org>", "your organisation's name")
    .option("--host <host>", `the address other nodes dial your node at (default ${DEFAULT_NETWORK_HOST})`)
    .requiredOption("--peer-port <n>", "your node's peer (TLS) port", integerOption("--peer-port", 1, 65_535))
    .requiredOption("--api-port <n>", "your node's API port", integerOption("--api-port", 1, 65_535))
    .requiredOption(
      "--from <path>",
      "the network's folder (or its genesis.json, with network.json beside it)",
    )
    .requiredOption("--out <dir>", "the node home to create (a new or empty folder)")
    .addOption(
      new Option("--alg <alg>", "validator and admin key algorithm")
        .choices(["ed25519", "p256"])
        .default("ed25519"),
    )
    .option("--company-prefix <list>", "your GS1 company prefixes, comma-separated")
    .option("--gln <list>", "your GS1 GLNs, comma-separated")
    .action(async (flags: InitFlags, command: Command) => {
      if (command.optsWithGlobals<GlobalOptions>().node !== undefined)
        throw usage("--node picks a member organisation; `org init` creates a new one's home with --out");
      const ctx = contextOf(command, io);
      const name = parseOrgName(flags.name, "--name");
      const host = parseNetworkHost(flags.host ?? DEFAULT_NETWORK_HOST);
      if (flags.peerPort === flags.apiPort)
        throw usage(`--peer-port and --api-port are both ${flags.apiPort}`);
      const gs1 = {
        companyPrefixes: digitsList(flags.companyPrefix, "--company-prefix", 6, 12),
        glns: digitsList(flags.gln, "--gln", 13, 13),
      };
      const source = readNetworkSource(ctx.resolvePath(flags.from));
      if (source.network.orgs.some((o) => o.name.toLowerCase() === name.toLowerCase()))
        throw usage(`--name ${name}: the network already has an organisation of that name`);
      const report = await writeNewOrgHome(ctx.resolvePath(flags.out), source, {
        name,
        host,
        peerPort: flags.peerPort,
        apiPort: flags.apiPort,
        alg: flags.alg,
        gs1,
      });
      // The request is the result: --json prints exactly what membership-request.json holds.
      ctx.out.result(report.request, () => renderOrgInit(report, ctx));
    });

  proposeOptions(
    org
      .command("add")
      .description(
        "propose adding an organisation from its membership request (identity.addOrg, and its validator)",
      )
      .requiredOption("--request <file>", "the membership-request.json `weft org init` wrote")
      .option(
        "--validator-power <n>",
        "also make its node a validator with this voting power (validators.update)",
        integerOption("--validator-power", 1),
      ),
  ).action(async (flags: ProposeFlags & { request: string; validatorPower?: number }, command: Command) => {
    const ctx = contextOf(command, io);
    const request = readMembershipRequest(ctx.resolvePath(flags.request));
    const key = await signer(ctx, flags);
    await checkJoinable(ctx, request);
    const addOrg: TxCall = {
      module: "identity",
      method: "addOrg",
      args: json({
        name: request.name,
        caCerts: request.caCerts,
        nodes: request.nodes.map((n) => ({ id: n.id, host: n.host, port: n.port })),
        gs1: request.gs1,
        admins: [{ id: request.admin.id, publicKey: request.admin.publicKey }],
        // Its node key signs its REST captures and evidence: a member from the start.
        members: [
          {
            id: "node",
            kind: "member",
            roles: ["operator", "writer"],
            publicKey: request.validator.publicKey,
          },
        ],
      }),
    };
    // The validator change goes first: each action is judged in turn, and once the new
    // organisation is active it counts among the organisations whose votes orgVotes needs.
    const actions: TxCall[] = [addOrg];
    if (flags.validatorPower !== undefined) {
      const { name, publicKey } = request.validator;
      actions.unshift(validatorsUpdate([{ name, publicKey, power: flags.validatorPower }]));
    }
    const power = flags.validatorPower === undefined ? "" : `, validator power ${flags.validatorPower}`;
    const report = await propose(ctx, flags, `add organisation ${request.name}${power}`, actions, key);
    ctx.out.result(report, (r) => renderReport(r, "proposed"));
  });

  proposeOptions(
    org
      .command("remove")
      .description("propose removing an organisation (identity.removeOrg) and its validators (power 0)")
      .requiredOption("--name <org>", "the organisation"),
  ).action(async (flags: ProposeFlags & { name: string }, command: Command) => {
    const ctx = contextOf(command, io);
    const name = parseOrgName(flags.name, "--name");
    const client = ctx.client();
    const { value: record } = await client.query("identity", "org", { name });
    if (record === null || (record as { status?: unknown }).status === "removed") {
      throw new CliError({
        code: "CLI_UNKNOWN_ORG",
        message: `--name ${name}: the chain has no ${record === null ? "" : "active "}organisation "${name}"`,
        exitCode: 2,
      });
    }
    const ours = (await validatorSet(ctx)).filter((v) => v.name === name);
    const actions: TxCall[] = [{ module: "identity", method: "removeOrg", args: { name } }];
    // Validators first, as in `org add`: judged while the organisation still counts.
    if (ours.length > 0) {
      actions.unshift(
        validatorsUpdate(ours.map((v) => ({ name: v.name ?? name, publicKey: v.publicKey, power: 0 }))),
      );
    }
    const report = await propose(ctx, flags, `remove organisation ${name}`, actions);
    ctx.out.result(report, (r) => renderReport(r, "proposed"));
  });
}

/** A request made for another chain, or for a name already registered, is refused before proposing. */
async function checkJoinable(ctx: CliContext, request: MembershipRequest): Promise<void> {
  const client = ctx.client();
  const [health, existing] = await Promise.all([
    client.health(),
    client.query("identity", "org", { name: request.name }),
  ]);
  const { chainId } = health;
  const refuse = (message: string) => new CliError({ code: "CLI_BAD_INPUT", message, exitCode: 2 });
  if (request.chainId !== chainId)
    throw refuse(`--request is for chain ${request.chainId}, the node runs ${chainId}`);
  if (existing.value !== null) {
    const status = (existing.value as { status?: unknown }).status;
    throw refuse(`--request: the chain already has an organisation "${request.name}" (${String(status)})`);
  }
}

type Change = { name: string; publicKey: Validator["publicKey"]; power: number };

const validatorsUpdate = (changes: Change[]): TxCall => ({
  module: "validators",
  method: "update",
  args: json({ changes }),
});

const json = (value: object): { [key: string]: CanonicalValue } =>
  value as unknown as { [key: string]: CanonicalValue };

/** The validator set for the next height (validators.set); absent until it first changes: the genesis set. */
async function validatorSet(ctx: CliContext): Promise<Validator[]> {
  const { value } = await ctx.client().query("validators", "set", {});
  if (Array.isArray(value)) return value as unknown as Validator[];
  return ctx.genesis().validators;
}

function digitsList(value: string | undefined, name: string, min: number, max: number): string[] {
  if (value === undefined) return [];
  const items = value
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  const bad = items.find((s) => !/^[0-9]+$/.test(s) || s.length < min || s.length > max);
  if (bad !== undefined) {
    const digits = min === max ? `${min}` : `${min}-${max}`;
    throw usage(`${name}: "${bad}" is not ${digits} digits`);
  }
  return items;
}

function renderOrgInit(r: NewOrgReport, ctx: CliContext): string[] {
  const rel = (path: string) => {
    const shown = relative(ctx.io.cwd, path);
    return shown === "" ? "." : shown.startsWith("..") || isAbsolute(shown) ? path : shown;
  };
  const q = r.request;
  return [
    `created the node home of ${q.name} in ${rel(r.home)} (chain ${q.chainId})`,
    `  node ${q.nodes[0]?.id} at ${q.nodes[0]?.host}:${q.nodes[0]?.port}, validator ${q.validator.address}`,
    `  admin key   ${rel(r.files.adminKey)} (address ${q.admin.address})`,
    `  CA key      ${rel(r.files.caKey)} (move it offline once the node has its certificate)`,
    `membership request: ${rel(r.files.request)} (public keys and certificates only)`,
    "next: hand it to a member organisation, whose admin proposes",
    `  weft --node <org> org add --request membership-request.json --validator-power 10`,
    "  (the proposal registers your admin key, and your node key as member `node`: operator, writer)",
    "  start your node: it syncs, and is accepted by the others once the organisations have voted it in",
    `  weft --home ${rel(r.home)} start`,
  ];
}
