import { addressOf, defaultChainParams, type Genesis, generateKeyPair, type KeyPair } from "@weft/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { tokenModule } from "../../src/modules/token/module.js";
import type { Asset, Hold, Nft } from "../../src/modules/token/state.js";
import { MemChain } from "./support/mem-chain.js";

/**
 * Random token operations — valid and invalid — through the real executor, one transaction per
 * block, with the token state's invariants checked after every block.
 */
const KEYS: KeyPair[] = Array.from({ length: 4 }, () => generateKeyPair());
const ADDRS = KEYS.map((k) => addressOf(k));
const ASSETS = ["F1", "F2", "N1", "N2"];
const HOLDS = ["h1", "h2", "h3", "h4", "h5"];
const TOKEN_IDS = ["1", "2", "3", "x.y", "99"];
const GENESIS_TIME = 1_700_000_000_000;
const MAX = ((1n << 256n) - 1n).toString();

const genesis: Genesis = {
  chainId: "weft-token-props",
  genesisTime: GENESIS_TIME,
  validators: [
    {
      address: ADDRS[0] as string,
      publicKey: { alg: (KEYS[0] as KeyPair).alg, publicKey: (KEYS[0] as KeyPair).publicKey },
      power: 1,
      name: "v0",
    },
  ],
  params: { ...defaultChainParams },
  appState: {
    token: {
      assets: [
        { id: "F1", name: "Fungible one", decimals: 2, issuer: ADDRS[0] as string },
        { id: "F2", name: "Capped", decimals: 0, issuer: ADDRS[1] as string, maxSupply: "1000" },
      ],
      balances: [
        { asset: "F1", address: ADDRS[0] as string, amount: "500" },
        { asset: "F1", address: ADDRS[2] as string, amount: "300" },
        { asset: "F2", address: ADDRS[1] as string, amount: "400" },
      ],
    },
  },
};

interface Op {
  signer: number;
  /** Sign as the party the call needs (issuer, hold owner or controller, NFT owner), read from state. */
  smart: boolean;
  method: string;
  args: Record<string, unknown>;
  /** ms to advance block time before this op's block. */
  dt: number;
}

const who = fc.integer({ min: 0, max: ADDRS.length - 1 });
const addr = who.map((i) => ADDRS[i] as string);
const asset = fc.constantFrom(...ASSETS);
/** Mostly a fungible asset (some calls on an NFT asset, to fail with TOKEN_WRONG_KIND). */
const fAsset = fc.oneof({ weight: 6, arbitrary: fc.constantFrom("F1", "F2") }, fc.constantFrom("N1", "N2"));
const nAsset = fc.oneof({ weight: 6, arbitrary: fc.constantFrom("N1", "N2") }, fc.constantFrom("F1", "F2"));
const amount = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 1, max: 150 }).map(String) },
  { weight: 1, arbitrary: fc.constant("0") },
  { weight: 1, arbitrary: fc.constant(MAX) },
);
const holdId = fc.constantFrom(...HOLDS);
const tokenId = fc.constantFrom(...TOKEN_IDS);
const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const compact = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

const call: fc.Arbitrary<Omit<Op, "signer" | "smart" | "dt">> = fc.oneof(
  {
    weight: 1,
    arbitrary: fc
      .record({
        asset,
        kind: opt(fc.constantFrom("fungible", "nft")),
        decimals: fc.constantFrom(0, 0, 2),
        maxSupply: opt(fc.constantFrom("3", "1000")),
        burn: opt(fc.constantFrom("holders", "issuer", "none")),
      })
      .map((a) => ({ method: "createAsset", args: compact({ ...a, name: `asset ${a.asset}` }) })),
  },
  {
    weight: 3,
    arbitrary: fc.record({ asset: fAsset, to: addr, amount }).map((args) => ({ method: "mint", args })),
  },
  { weight: 2, arbitrary: fc.record({ asset: fAsset, amount }).map((args) => ({ method: "burn", args })) },
  // A closed asset mints no more for the rest of the run: rarely, and only F2 or N2, so F1 and
  // N1 keep minting.
  {
    weight: 1,
    arbitrary: fc
      .record({ asset: fc.constantFrom("F2", "N2"), roll: fc.integer({ min: 0, max: 5 }) })
      .map(({ asset, roll }) =>
        roll === 0
          ? { method: "closeMint", args: { asset } }
          : { method: "burn", args: { asset, amount: "1" } },
      ),
  },
  {
    weight: 4,
    arbitrary: fc.record({ asset: fAsset, to: addr, amount }).map((args) => ({ method: "transfer", args })),
  },
  {
    weight: 4,
    arbitrary: fc
      .record({
        asset: fAsset,
        amount,
        holdId,
        beneficiary: opt(addr),
        controller: opt(addr),
        owner: opt(addr),
        expiresIn: opt(fc.integer({ min: -1_000, max: 10_000 })),
      })
      .map(({ expiresIn, ...a }) => ({
        method: "hold",
        args: compact({ ...a, expiresIn }),
      })),
  },
  {
    weight: 3,
    arbitrary: fc
      .record({ holdId, to: addr, amount: opt(amount) })
      .map((a) => ({ method: "releaseHold", args: compact(a) })),
  },
  { weight: 2, arbitrary: fc.record({ holdId }).map((args) => ({ method: "cancelHold", args })) },
  {
    weight: 3,
    arbitrary: fc
      .record({
        asset: nAsset,
        tokenId,
        to: addr,
        metadata: opt(fc.record({ uri: opt(fc.constant("https://example.com/t/1")) })),
      })
      .map((a) => ({
        method: "mintNft",
        args: compact({ ...a, metadata: a.metadata && compact(a.metadata) }),
      })),
  },
  {
    weight: 3,
    arbitrary: fc
      .record({ asset: nAsset, tokenId, to: addr })
      .map((args) => ({ method: "transferNft", args })),
  },
  {
    weight: 1,
    arbitrary: fc.record({ asset: nAsset, tokenId }).map((args) => ({ method: "burnNft", args })),
  },
);

const op: fc.Arbitrary<Op> = fc
  .record({ signer: who, smart: fc.boolean(), call, dt: fc.integer({ min: 1, max: 3_000 }) })
  .map(({ signer, smart, call: c, dt }) => ({ signer, smart, dt, ...c }));

/** The signer a call needs to succeed, when state names one. */
function rightSigner(chain: MemChain, o: Op): number | undefined {
  const get = (key: string) => chain.get(`token/${key}`);
  const a = o.args as { asset?: string; holdId?: string; tokenId?: string; owner?: string };
  let address: string | undefined;
  if (o.method === "mint" || o.method === "mintNft" || o.method === "closeMint")
    address = (get(`asset/${a.asset}`) as Asset | undefined)?.issuer;
  else if (o.method === "transferNft" || o.method === "burnNft")
    address = (get(`nft/${a.asset}/${a.tokenId}`) as Nft | undefined)?.owner;
  else if (o.method === "releaseHold" || o.method === "cancelHold") {
    const h = get(`hold/${a.holdId}`) as Hold | undefined;
    address = h ? (h.controller ?? h.owner) : undefined;
  } else if (o.method === "hold") address = a.owner;
  const i = address === undefined ? -1 : ADDRS.indexOf(address);
  return i < 0 ? undefined : i;
}

/** Each asset's supply after the previous block: minting closed never grows it, burn "none" never shrinks it. */
type Supplies = Map<string, bigint>;

function checkInvariants(chain: MemChain, before: Supplies = new Map()): void {
  const get = (key: string) => chain.get(`token/${key}`);
  for (const id of ASSETS) {
    const a = get(`asset/${id}`) as Asset | undefined;
    if (!a) {
      for (const who of ADDRS) expect(get(`balance/${id}/${who}`)).toBeUndefined();
      continue;
    }
    const supply = BigInt(a.supply);
    const previous = before.get(id);
    if (previous !== undefined && a.mintClosed) expect(supply <= previous).toBe(true);
    if (previous !== undefined && a.burn === "none") expect(supply >= previous).toBe(true);
    before.set(id, supply);
    if ((a.kind ?? "fungible") === "fungible") {
      let sum = 0n;
      for (const who of ADDRS) {
        const bal = get(`balance/${id}/${who}`);
        const held = get(`held/${id}/${who}`);
        // Present values are canonical and positive (zero is stored as absence).
        if (bal !== undefined) expect(bal).toMatch(/^[1-9][0-9]*$/);
        if (held !== undefined) expect(held).toMatch(/^[1-9][0-9]*$/);
        const b = BigInt((bal as string | undefined) ?? "0");
        const h = BigInt((held as string | undefined) ?? "0");
        expect(h <= b).toBe(true);
        // The held total is exactly the sum of that owner's holds in the asset.
        let holds = 0n;
        for (const hid of HOLDS) {
          const hold = get(`hold/${hid}`) as Hold | undefined;
          if (hold && hold.asset === id && hold.owner === who) holds += BigInt(hold.amount);
        }
        expect(holds).toBe(h);
        sum += b;
      }
      expect(sum.toString()).toBe(a.supply);
      if (a.maxSupply !== null) expect(BigInt(a.supply) <= BigInt(a.maxSupply)).toBe(true);
      for (const t of TOKEN_IDS) expect(get(`nft/${id}/${t}`)).toBeUndefined();
    } else {
      let count = 0;
      for (const t of TOKEN_IDS) {
        const nft = get(`nft/${id}/${t}`) as Nft | undefined;
        if (!nft) continue;
        count += 1;
        expect(ADDRS).toContain(nft.owner);
        expect(nft).toMatchObject({ asset: id, tokenId: t });
      }
      expect(String(count)).toBe(a.supply);
      for (const who of ADDRS) {
        expect(get(`balance/${id}/${who}`)).toBeUndefined();
        expect(get(`held/${id}/${who}`)).toBeUndefined();
      }
    }
  }
  for (const hid of HOLDS) {
    const hold = get(`hold/${hid}`) as Hold | undefined;
    if (hold) expect(hold.amount).toMatch(/^[1-9][0-9]*$/);
  }
}

function run(ops: Op[]): { ok: number; failed: Record<string, number> } {
  const chain = new MemChain(genesis, [tokenModule]);
  let time = GENESIS_TIME;
  let ok = 0;
  const failed: Record<string, number> = {};
  const supplies: Supplies = new Map();
  checkInvariants(chain, supplies);
  // N1 starts as an NFT asset; N2 becomes whatever a random createAsset makes it.
  const setup: Op = {
    signer: 0,
    smart: false,
    dt: 1,
    method: "createAsset",
    args: { asset: "N1", name: "Serials", decimals: 0, kind: "nft" },
  };
  for (const o of [setup, ...ops]) {
    time += o.dt;
    const signer = KEYS[(o.smart ? rightSigner(chain, o) : undefined) ?? o.signer] as KeyPair;
    const { expiresIn, ...rest } = o.args as { expiresIn?: number };
    const args = expiresIn === undefined ? rest : { ...rest, expiresAt: time + expiresIn };
    const out = chain.block(time, [chain.tx(signer, "token", o.method, args)]);
    const receipt = out.receipts[0];
    expect(receipt).toBeDefined();
    if (receipt?.status === "ok") {
      ok += 1;
      failed[`ok:${o.method}`] = (failed[`ok:${o.method}`] ?? 0) + 1;
    } else {
      const code = receipt?.error?.code ?? "?";
      failed[code] = (failed[code] ?? 0) + 1;
      // A failed operation moves the signer's sequence and nothing else.
      expect(out.changedKeys).toEqual([`auth/sequence/${addressOf(signer)}`]);
      expect(out.txEvents[0]).toEqual([]);
    }
    checkInvariants(chain, supplies);
  }
  return { ok, failed };
}

describe("token invariants under random operations", () => {
  it("keeps supply = Σ balances, held ≤ balance and one owner per NFT over 10,000 operations", () => {
    let total = 0;
    let okTotal = 0;
    const codes: Record<string, number> = {};
    fc.assert(
      fc.property(fc.array(op, { minLength: 1_250, maxLength: 1_250 }), (ops) => {
        const { ok, failed } = run(ops);
        total += ops.length;
        okTotal += ok;
        for (const [c, n] of Object.entries(failed)) codes[c] = (codes[c] ?? 0) + n;
        codes.ok = (codes.ok ?? 0) + ok;
      }),
      { numRuns: 8, endOnFailure: true },
    );
    if (process.env.TOKEN_PROPS_VERBOSE) console.log(codes);
    expect(total).toBeGreaterThanOrEqual(10_000);
    // The mix exercises both outcomes and the main failure reasons.
    expect(okTotal).toBeGreaterThan(total / 5);
    for (const code of [
      ...["mint", "burn", "transfer", "hold", "releaseHold", "cancelHold"].map((m) => `ok:${m}`),
      ...["mintNft", "transferNft", "burnNft"].map((m) => `ok:${m}`),
      "TOKEN_INSUFFICIENT_FUNDS",
      "TOKEN_WRONG_KIND",
      "TOKEN_UNKNOWN_HOLD",
      "TOKEN_NOT_AUTHORIZED",
      "TOKEN_NOT_OWNER",
      "TOKEN_INVALID_AMOUNT",
      "ok:closeMint",
      "TOKEN_MINT_CLOSED",
      "TOKEN_BURN_NOT_ALLOWED",
    ]) {
      expect(codes[code] ?? 0).toBeGreaterThan(0);
    }
  }, 300_000);
});
