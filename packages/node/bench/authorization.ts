/**
 * What permissioning costs: the identity module's `authorize` hook alone on a registry of
 * orgs × members under the default policies, and one block of transfers executed on an open
 * chain and on permissioned ones. run.ts prints both beside Ed25519 verification, which every
 * transaction pays whether the chain is permissioned or not.
 */
import {
  addressOf,
  type CanonicalValue,
  type DecodedTx,
  decodeTx,
  type Genesis,
  generateKeyPair,
  MemoryLogStore,
  parseJson,
  ZERO_HASH,
} from "@weft/core";
import { executeBlock } from "../src/app/executor.js";
import type { AuthorizeContext } from "../src/app/module.js";
import { identityModule } from "../src/modules/identity/module.js";
import { signedTransfers } from "../test/support/transfers.js";
import {
  ADMIN,
  type BenchOrg,
  benchGenesis,
  CHAIN_ID,
  DEVICE,
  genesisState,
  identityAppState,
  makeOrgs,
  registry,
  sglnOf,
  WRITER,
} from "./authorization-registry.js";

export interface AuthorizeCase {
  label: string;
  perSec: number;
}

export interface BlockCase {
  label: string;
  ms: number;
  /** Against the open chain's block. */
  overheadPct: number;
}

export interface AuthorizationResult {
  orgs: number;
  members: number;
  orgVoters: number;
  cases: AuthorizeCase[];
  blockTxs: number;
  openMs: number;
  blocks: BlockCase[];
}

const TIME = 1_700_000_100_000;
const SENDERS_PER_ORG = 2;
/** Sender members of each org (indexes past the admin, writer and device). */
const isSender = (j: number) => j >= 3 && j < 3 + SENDERS_PER_ORG;

export async function benchAuthorization(
  orgCount = 50,
  membersPerOrg = 200,
  blockTxs = 2000,
): Promise<AuthorizationResult> {
  const orgs = await makeOrgs(orgCount, membersPerOrg);
  const senders = orgs.flatMap((o) => o.members.filter((_, j) => isSender(j)));
  const token = {
    assets: [{ id: "WEFT", name: "Weft", decimals: 0, issuer: senders[0]?.address ?? "" }],
    balances: senders.map((m) => ({ asset: "WEFT", address: m.address, amount: "1000000000" })),
  };
  const full = benchGenesis({ identity: identityAppState(orgs), token });
  const { cases, orgVoters } = hookCases(orgs, full);
  const txs = signedTransfers({
    chainId: CHAIN_ID,
    asset: "WEFT",
    senders: senders.map((m) => m.key),
    perSender: Math.ceil(blockTxs / senders.length),
    recipients: Array.from({ length: 1000 }, () => addressOf(generateKeyPair())),
    amount: () => "1",
  })
    .slice(0, blockTxs)
    .map((tx) => decodeTx(tx));
  const members = orgCount * membersPerOrg;
  // Two permissioned chains: the small registry isolates the hook; the full one adds what a
  // bigger state tree costs every block's state update.
  const chains: [string, Genesis][] = [
    ["open", benchGenesis({ token })],
    [
      `permissioned, only the ${senders.length} senders as members`,
      benchGenesis({ identity: identityAppState(orgs, (m) => senders.includes(m)), token }),
    ],
    [`permissioned, ${members.toLocaleString("en-US")} members`, full],
  ];
  const [openMs = Number.NaN, ...permissioned] = blockTimes(chains, txs);
  const blocks = permissioned.map((ms, i) => ({
    label: chains[i + 1]?.[0] ?? "",
    ms,
    overheadPct: ((ms - openMs) / openMs) * 100,
  }));
  return { orgs: orgCount, members, orgVoters, cases, blockTxs, openMs, blocks };
}

/** Authorize calls per second for each typical call, state from a Map of parsed genesis values. */
function hookCases(orgs: readonly BenchOrg[], genesis: Genesis) {
  const values = new Map<string, CanonicalValue>();
  for (const [key, bytes] of genesisState(genesis).stateChanges)
    if (bytes) values.set(key, parseJson(bytes) as CanonicalValue);
  const state = { get: (key: string) => values.get(key) };
  const ctx = (
    call: string,
    approvers: string[],
    facts: AuthorizeContext["facts"],
    via: "tx" | "governance" | "block",
  ) => {
    const [module = "", method = ""] = call.split(".");
    const sender = approvers[0] ?? "";
    return {
      chainId: CHAIN_ID,
      height: 2,
      time: TIME,
      sender,
      approvers,
      via,
      call: { module, method, args: {} },
      facts,
      state,
    } satisfies AuthorizeContext;
  };
  const nth = (k: number) => orgs[k % orgs.length] as BenchOrg;
  // A different org (and member) each call, so no one record stays hot.
  const at = (k: number, j: number) => nth(k).members[j]?.address ?? "";
  // Plain members (past the admin, writer and device), a different one each call.
  const plain = (k: number) => 3 + (k % Math.max(1, (orgs[0]?.members.length ?? 4) - 3));
  const locations = (k: number) => [sglnOf(nth(k), 1 + (k % 7)), sglnOf(nth(k), 11), sglnOf(nth(k), 12)];
  const device = (k: number) => nth(k).members[DEVICE]?.id ?? "";
  // More than 2/3 of the active orgs: the default for identity.addOrg, gov.setParams, validators.update.
  const orgVoters = Math.floor((orgs.length * 2) / 3) + 1;
  const admins = orgs.slice(0, orgVoters).map((o) => o.members[ADMIN]?.address ?? "");
  const cases = [
    [
      "token.transfer by a member (member)",
      (k: number) => ctx("token.transfer", [at(k, plain(k))], {}, "tx"),
    ],
    [
      "trace.capture by a writer at own GLNs (role writer, scope resource)",
      (k: number) =>
        ctx("trace.capture", [at(k, WRITER)], { locations: locations(k), devices: [device(k)] }, "tx"),
    ],
    [
      "trace.capture by a device (role device, scope self)",
      (k: number) =>
        ctx("trace.capture", [at(k, DEVICE)], { locations: locations(k), devices: [device(k)] }, "tx"),
    ],
    [
      `identity.addOrg voted by ${orgVoters} org admins (orgVotes 2/3)`,
      () => ctx("identity.addOrg", admins, { orgs: ["newcomer"] }, "governance"),
    ],
  ] as const;
  return {
    orgVoters,
    cases: cases.map(([label, make]) => ({
      label,
      perSec: callsPerSecond(Array.from({ length: 512 }, (_, k) => make(k))),
    })),
  };
}

function callsPerSecond(contexts: readonly AuthorizeContext[], durationMs = 500): number {
  const authorize = identityModule.authorize;
  if (!authorize) throw new Error("identity has no authorize hook");
  // Each case must be allowed: a denial would time the error path instead.
  for (const c of contexts) authorize(c);
  let count = 0;
  const start = performance.now();
  while (performance.now() - start < durationMs) {
    for (const c of contexts) authorize(c);
    count += contexts.length;
  }
  return Math.round(count / ((performance.now() - start) / 1000));
}

/** Median ms of executeBlock per chain, runs interleaved so drift on a shared machine hits all. */
function blockTimes(chains: readonly [string, Genesis][], txs: readonly DecodedTx[], runs = 7): number[] {
  const runners = chains.map(([, genesis]) => blockRunner(genesis, txs));
  for (const run of runners) run(); // warm-up: JIT and the location/identifier caches
  const times = runners.map(() => [] as number[]);
  for (let r = 0; r < runs; r++) {
    for (const [i, run] of runners.entries()) times[i]?.push(run());
  }
  return times.map((t) => t.sort((a, b) => a - b)[Math.floor(t.length / 2)] as number);
}

/** Executes block 1 of `txs` over the genesis state held in memory; returns ms. */
function blockRunner(genesis: Genesis, txs: readonly DecodedTx[]): () => number {
  const initial = genesisState(genesis);
  const state = new Map<string, Uint8Array>();
  for (const [key, value] of initial.stateChanges) if (value) state.set(key, value);
  const base = {
    getState: (key: string) => state.get(key),
    stateNodes: { getNode: (hash: Uint8Array) => initial.stateNodes.get(Buffer.from(hash).toString("hex")) },
    logNodes: new MemoryLogStore(),
  };
  const input = {
    height: 1,
    time: TIME,
    proposer: genesis.validators[0]?.address ?? "",
    previousBlockHash: ZERO_HASH,
    lastCommit: null,
    stateRoot: initial.stateRoot,
    logSize: 0,
  };
  return () => {
    const start = performance.now();
    const { write } = executeBlock(genesis, registry, base, input, txs, "propose");
    const ms = performance.now() - start;
    const failed = write.results.find((r) => r.receipt.status !== "ok");
    if (write.results.length !== txs.length || failed)
      throw new Error(
        `block not executed whole: ${JSON.stringify(failed?.receipt.error ?? write.results.length)}`,
      );
    return ms;
  };
}
