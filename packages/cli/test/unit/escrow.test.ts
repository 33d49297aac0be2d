import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultModules, ModuleRegistry } from "@weft/node";
import type { EscrowRecord, EscrowView } from "@weft/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderEscrow } from "../../src/commands/escrow.js";
import {
  checkedOpen,
  DEFAULT_ESCROW_TERM_MS,
  draftTerms,
  parsePercent,
  parseTime,
  resolveAccounts,
  showBps,
} from "../../src/escrow-terms.js";
import { run } from "../../src/run.js";

const DAY = 86_400_000;
const NOW = Date.parse("2026-01-10T00:00:00Z");
const SELLER = "cd".repeat(20);
const ARBITER = "ef".repeat(20);
const SSCC = "urn:epc:id:sscc:9520002.0000004711";
const same = async (ref: string) => ref;

describe("escrow argument parsers", () => {
  it("reads times as ISO 8601 with a zone or as a duration from now", () => {
    expect(parseTime("2026-03-01T12:00:00Z", "--due", NOW)).toBe(Date.parse("2026-03-01T12:00:00Z"));
    expect(parseTime("2026-03-01T12:00:00.5+01:00", "--due", NOW)).toBe(Date.parse("2026-03-01T11:00:00.5Z"));
    expect(parseTime("2026-03-01", "--due", NOW)).toBe(Date.parse("2026-03-01T00:00:00Z"));
    expect(parseTime("14d", "--deadline", NOW)).toBe(NOW + 14 * DAY);
    expect(parseTime("36h", "--deadline", NOW)).toBe(NOW + 36 * 3_600_000);
    for (const bad of ["2026-03-01T12:00:00", "tomorrow", "14", "1.5d", "2026-13-01T00:00:00Z", ""]) {
      expect(() => parseTime(bad, "--due", NOW)).toThrow(/--due must be an ISO 8601 time with a zone/);
    }
  });

  it("reads percentages as basis points, in integers", () => {
    expect(parsePercent("2", "--late-per-day")).toBe(200);
    expect(parsePercent("2.5", "--late-per-day")).toBe(250);
    expect(parsePercent("0.25%", "--late-per-day")).toBe(25);
    expect(parsePercent("100", "--late-cap")).toBe(10_000);
    expect(parsePercent("0", "--late-cap")).toBe(0);
    for (const bad of ["100.01", "101", "-1", "1.234", "x", "", "1e2"]) {
      expect(() => parsePercent(bad, "--late-cap")).toThrow(/--late-cap must be a percentage from 0 to 100/);
    }
    expect([0, 5, 50, 200, 250, 1005, 10_000].map(showBps)).toEqual([
      "0 %",
      "0.05 %",
      "0.5 %",
      "2 %",
      "2.5 %",
      "10.05 %",
      "100 %",
    ]);
  });

  it("builds the single-milestone DAP escrow, which the escrow module admits", async () => {
    const draft = draftTerms(
      {
        id: "PO-4711",
        seller: SELLER,
        asset: "WEFT",
        amount: "100000",
        shipment: [SSCC],
        deliverTo: "9520001000010",
        due: "3d",
        deadline: "14d",
        latePerDay: "2",
        lateCap: "10",
        arbiter: ARBITER,
      },
      NOW,
    );
    const call = checkedOpen(await resolveAccounts(draft, same));
    expect(call).toEqual({
      module: "escrow",
      method: "open",
      args: {
        id: "PO-4711",
        seller: SELLER,
        asset: "WEFT",
        amount: "100000",
        shipment: [SSCC],
        milestones: [
          {
            name: "delivered",
            shareBps: 10_000,
            conditions: [
              { event: { bizStep: "receiving", bizLocation: "https://id.gs1.org/414/9520001000010" } },
            ],
            dueBy: NOW + 3 * DAY,
          },
        ],
        deadline: NOW + 14 * DAY,
        penalties: { latePerDayBps: 200, lateCapBps: 1000 },
        arbiter: ARBITER,
        incoterm: "DAP",
      },
    });
    // Exactly what a node's admission runs: the schema and escrow.open's precheck.
    new ModuleRegistry(defaultModules).admit("escrow", "open", call.args);
    const plain = draftTerms(
      {
        id: "x",
        seller: SELLER,
        asset: "WEFT",
        amount: "1",
        shipment: [SSCC],
        deliverTo: "urn:epc:id:sgln:9520001.00001.0",
      },
      NOW,
    );
    expect(plain.deadline).toBe(NOW + DEFAULT_ESCROW_TERM_MS);
    expect(plain.incoterm).toBe("DAP");
  });

  it("reads --terms, with times as ISO or durations and flags overriding the file", async () => {
    const terms = JSON.stringify({
      id: "from-file",
      seller: "bob",
      asset: "WEFT",
      amount: 5000,
      shipment: [SSCC, "urn:epcglobal:cbv:bt:9520001000010:PO-4711"],
      deadline: "2026-02-01T00:00:00Z",
      milestones: [
        { name: "shipped", shareBps: 3000, conditions: [{ document: { type: "desadv" } }] },
        {
          name: "accepted",
          shareBps: 7000,
          dueBy: "7d",
          conditions: [
            { event: { bizStep: "receiving", bizLocation: "urn:epc:id:sgln:9520001.00001.0" } },
            { attestations: { claim: "inspected", k: 1, from: ["carol"] } },
          ],
        },
      ],
      quality: { onAlarm: "penalty" },
      penalties: { excursionBps: 500 },
    });
    const draft = draftTerms({ terms: "t.json", id: "PO-1", latePerDay: "1" }, NOW, terms);
    const names: Record<string, string> = { bob: SELLER, carol: ARBITER };
    const call = checkedOpen(await resolveAccounts(draft, async (ref) => names[ref] ?? ref));
    expect(call.args).toMatchObject({
      id: "PO-1",
      seller: SELLER,
      amount: "5000",
      deadline: Date.parse("2026-02-01T00:00:00Z"),
      penalties: { excursionBps: 500, latePerDayBps: 100 },
      quality: { onAlarm: "penalty" },
    });
    expect((call.args.milestones as { dueBy?: number }[])[1]?.dueBy).toBe(NOW + 7 * DAY);
    expect(JSON.stringify(call.args.milestones)).toContain(ARBITER);
    expect(call.args.incoterm).toBeUndefined();
  });

  it("refuses what the chain would refuse, before anything is signed", async () => {
    const base = {
      id: "x",
      seller: SELLER,
      asset: "WEFT",
      amount: "1",
      shipment: [SSCC],
      deliverTo: "9520001000010",
    };
    const refused = async (flags: Record<string, unknown>, text?: string) => {
      try {
        checkedOpen(await resolveAccounts(draftTerms({ ...base, ...flags }, NOW, text), same));
      } catch (e) {
        return (e as Error).message;
      }
      return "accepted";
    };
    expect(await refused({ deliverTo: "9520001000012" })).toMatch(
      /--deliver-to: GLN 9520001000012 has check digit 2/,
    );
    expect(await refused({ due: "2026-01-01T00:00:00Z" })).toMatch(/--due is in the past/);
    expect(await refused({ deadline: "2025-01-01" })).toMatch(/deadline .* is in the past/);
    expect(await refused({ deadline: "600d" })).toMatch(/more than 550 days/);
    expect(await refused({ due: "20d", deadline: "14d" })).toMatch(/dueBy is after the deadline/);
    expect(await refused({ latePerDay: "2" })).toMatch(/--late-per-day needs a due time/);
    expect(await refused({ lateCap: "5", due: "3d" })).toMatch(/lateCapBps needs penalties.latePerDayBps/);
    expect(await refused({ amount: "0" })).toMatch(/amount must be positive/);
    expect(await refused({ shipment: [SSCC, SSCC] })).toMatch(/shipment lists an identifier twice/);
    expect(await refused({ incoterm: "dap" })).toMatch(/incoterm/);
    expect(await refused({ arbiter: SELLER })).toMatch(/the arbiter must not be the seller/);
    expect(await refused({ id: "PO 1" })).toMatch(/id must be/);
    expect(await refused({ deliverTo: undefined })).toMatch(/give --deliver-to <GLN> .* or --terms/);
    expect(await refused({ terms: "t.json" }, "{}")).toMatch(
      /--deliver-to and --due make the single delivery/,
    );
    expect(await refused({ deliverTo: undefined, terms: "t.json" }, "{ nope")).toMatch(/not valid JSON/);
    expect(await refused({ deliverTo: undefined, terms: "t.json" }, '{"color": 1}')).toMatch(
      /unknown field color/,
    );
    expect(
      await refused(
        { deliverTo: undefined, terms: "t.json", deadline: "14d" },
        JSON.stringify({
          milestones: [{ name: "a", shareBps: 5000, conditions: [{ document: { type: "inv" } }] }],
        }),
      ),
    ).toMatch(/shares add up to 5000 bps/);
    expect(
      await refused(
        { deliverTo: undefined, terms: "t.json", deadline: "14d" },
        JSON.stringify({ milestones: [{ name: "a", shareBps: 10000, conditions: [{ event: {} }] }] }),
      ),
    ).toMatch(/names no field: it would match any event/);
  });

  it("renders an escrow: parties, terms, milestones and which conditions are met", () => {
    const lines = renderEscrow(sampleEscrow());
    expect(lines).toEqual([
      "escrow PO-4711: settled",
      `buyer: ${"ab".repeat(20)}`,
      `seller: ${SELLER}`,
      "amount: 100000 WEFT (hold escrow:PO-4711)",
      "deadline: 2026-01-24T00:00:00.000Z (block time), incoterm DAP",
      "penalties: late 2 % per started day, at most 10 %; sensor alarm holds the funds",
      "milestone delivered (100 %, 100000, due 2026-01-13T00:00:00.000Z): released at height 9: 92000 to the seller, 8000 to the buyer (penalty 8 %)",
      `  [x] event bizStep=receiving bizLocation=https://id.gs1.org/414/9520001000010: met in tx ${"77".repeat(32)} at height 9`,
    ]);
  });
});

function sampleEscrow(): EscrowRecord {
  return {
    id: "PO-4711",
    buyer: "ab".repeat(20),
    seller: SELLER,
    asset: "WEFT",
    amount: "100000",
    holdId: "escrow:PO-4711",
    shipment: ["https://id.gs1.org/00/095200020000047113"],
    milestones: [
      {
        name: "delivered",
        shareBps: 10_000,
        amount: "100000",
        dueBy: NOW + 3 * DAY,
        conditions: [
          { event: { bizStep: "receiving", bizLocation: "https://id.gs1.org/414/9520001000010" } },
        ],
        satisfied: [
          { height: 9, txHash: "77".repeat(32), logIndex: 4, eventId: "ni:///sha-256;ab?ver=CBV2.0" },
        ],
        status: "released",
        closedAt: 9,
        toSeller: "92000",
        toBuyer: "8000",
        penaltyBps: 800,
      },
    ],
    deadline: NOW + 14 * DAY,
    penalties: { latePerDayBps: 200, lateCapBps: 1000, excursionBps: 0 },
    onAlarm: "hold",
    arbiter: null,
    incoterm: "DAP",
    status: "settled",
    openedAt: 3,
    openTx: "66".repeat(32),
    excursion: null,
    disputes: 0,
    pending: null,
    history: [{ height: 3, time: NOW, kind: "opened", by: "ab".repeat(20) }],
  };
}

/*
 * The commands in-process against a home and an API that records every request: bad command
 * lines exit 2 with one line and send nothing; `show` prints what GET /v1/escrows/{id} says.
 */
describe("weft escrow (in-process)", () => {
  const dir = mkdtempSync(join(tmpdir(), "weft-cli-escrow-"));
  const requests: string[] = [];
  let server: Server;
  let url = "";
  const view: EscrowView = {
    height: 12,
    escrow: sampleEscrow(),
    proof: { kind: "weft.proof.state/v1" } as EscrowView["proof"],
    why: ["height 3: opened by ab…", "height 9: milestone delivered released"],
    records: [
      {
        height: 3,
        txHash: "66".repeat(32),
        proof: { kind: "weft.proof.tx/v1" } as EscrowView["records"][0]["proof"],
      },
      {
        height: 9,
        txHash: "77".repeat(32),
        logIndex: 4,
        eventId: "ni:///sha-256;ab?ver=CBV2.0",
        proof: { kind: "weft.proof.tx/v1" } as EscrowView["records"][0]["proof"],
      },
    ],
  };

  const weft = async (line: string | string[]) => {
    const out = { stdout: "", stderr: "" };
    const args = typeof line === "string" ? line.split(" ") : line;
    const code = await run(["--home", join(dir, "home"), "--url", url, ...args], {
      env: {},
      cwd: dir,
      stdout: { write: (s: string) => (out.stdout += s) },
      stderr: { write: (s: string) => (out.stderr += s) },
    });
    return { code, ...out };
  };

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push(`${req.method} ${req.url}`);
      if (req.method === "GET" && req.url === "/v1/escrows/PO-4711") {
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(view));
        return;
      }
      res.writeHead(503).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const init = await weft("init --accounts alice,bob");
    expect(init.code, init.stderr).toBe(0);
    writeFileSync(join(dir, "terms.json"), JSON.stringify({ milestones: [] }));
  }, 60_000);

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it("refuses each bad command line with exit 2, one line, and no request to the node", async () => {
    const open = "escrow open --key alice --id PO-1 --seller bob --asset WEFT --amount 100 --shipment";
    const dap = `${open} ${SSCC} --deliver-to 9520001000010`;
    const cases: [string | string[], RegExp][] = [
      [`${dap} --due tomorrow`, /CLI_USAGE: --due must be an ISO 8601 time with a zone/],
      [`${dap} --deadline 14`, /CLI_USAGE: --deadline must be an ISO 8601 time/],
      [`${dap} --deadline 600d`, /CLI_USAGE: the deadline is more than 550 days away/],
      [`${dap} --late-per-day 2`, /CLI_USAGE: --late-per-day needs a due time/],
      [`${dap} --due 3d --late-per-day 2.345`, /CLI_USAGE: --late-per-day must be a percentage/],
      [`${dap} --due 3d --late-per-day 2 --late-cap 101`, /CLI_USAGE: --late-cap must be a percentage/],
      [
        `${open} ${SSCC} --deliver-to 9520001000011`,
        /CLI_USAGE: --deliver-to: GLN 9520001000011 has check digit 1/,
      ],
      [`${open} ${SSCC} --deliver-to dock-4`, /CLI_USAGE: --deliver-to must be a 13-digit GLN/],
      [`${open} ${SSCC}`, /CLI_USAGE: give --deliver-to <GLN> .* or --terms/],
      [`${dap} --terms terms.json`, /CLI_USAGE: --deliver-to and --due make the single delivery milestone/],
      [`${open} ${SSCC} --terms missing.json`, /CLI_BAD_INPUT: cannot read --terms file .*missing\.json/],
      [`${open} ${SSCC} --terms terms.json --deadline 14d`, /CLI_USAGE: .*milestones: 1 to 8/],
      [`${open} ${SSCC} --terms terms.json`, /CLI_USAGE: missing --deadline/],
      [`${dap} --amount 0`, /CLI_USAGE: amount must be positive/],
      [`${dap} --amount 1.5`, /CLI_USAGE: amount must be a string of decimal digits/],
      [`${dap} --asset weft`, /CLI_USAGE: --asset "weft" must be/],
      [`${dap} --seller nobody`, /CLI_USAGE: --seller "nobody" is neither an address/],
      [`${dap} --arbiter bob`, /CLI_USAGE: the arbiter must not be the seller/],
      [`${dap} --seller alice`, /CLI_USAGE: the signer is the buyer: --seller must be another account/],
      [`${dap} --incoterm dap`, /CLI_USAGE: incoterm must be three capital letters/],
      [`${dap} --key nobody`, /CLI_KEY_NOT_FOUND: --key: no key "nobody"/],
      [`${dap} --timeout-ms 0`, /CLI_USAGE: --timeout-ms must be an integer at least 1/],
      [
        "escrow open --key alice --seller bob --asset WEFT --amount 1 --deliver-to 9520001000010",
        /CLI_USAGE: missing --id, --shipment/,
      ],
      [`${dap} --frobnicate`, /CLI_USAGE: unknown option '--frobnicate'/],
      ["escrow show", /CLI_USAGE: missing required argument 'id'/],
      ["escrow show PO/1", /CLI_USAGE: escrow id "PO\/1" must be/],
      ["escrow attest PO-1 --key alice", /CLI_USAGE: required option '--claim <claim>'/],
      ["escrow attest PO-1 --key alice --claim a/b", /CLI_USAGE: claim must be 1-64 letters/],
      ["escrow dispute PO-1 --key alice", /CLI_USAGE: required option '--reason <text>'/],
      [
        ["escrow", "dispute", "PO-1", "--key", "alice", "--reason", ""],
        /CLI_USAGE: reason must be a string of 1 to 500/,
      ],
      ["escrow resolve PO-1 --key alice", /CLI_USAGE: give exactly one of --seller-pct <pct> and --resume/],
      [
        "escrow resolve PO-1 --key alice --seller-pct 50 --resume",
        /CLI_USAGE: give exactly one of --seller-pct/,
      ],
      ["escrow resolve PO-1 --key alice --seller-pct 150", /CLI_USAGE: --seller-pct must be a percentage/],
      [
        "escrow resolve PO-1 --key alice --seller-pct 50 --propose --deadline 31d",
        /CLI_USAGE: --deadline must be between/,
      ],
      ["escrow cancel", /CLI_USAGE: missing required argument 'id'/],
      ["escrow cancel PO 1", /CLI_USAGE: too many arguments/],
      ["escrow cancel PO-1 --key nobody", /CLI_KEY_NOT_FOUND: --key: no key "nobody"/],
      ["escrow frobnicate", /CLI_USAGE: unknown command 'frobnicate'/],
    ];
    for (const [line, expected] of cases) {
      const res = await weft(line);
      const shown = typeof line === "string" ? line : line.join(" ");
      expect({ line: shown, code: res.code, stdout: res.stdout }).toEqual({
        line: shown,
        code: 2,
        stdout: "",
      });
      expect(res.stderr, shown).toMatch(expected);
      expect(res.stderr.trimEnd().split("\n"), shown).toHaveLength(1);
    }
    expect(requests).toEqual([]);
  });

  it("shows an escrow: its state, milestones and why; --json prints the answer as it came", async () => {
    const human = await weft("escrow show PO-4711");
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain("escrow PO-4711: settled");
    expect(human.stdout).toContain(
      "why:\n  height 3: opened by ab…\n  height 9: milestone delivered released\n",
    );
    expect(human.stdout).toContain(`  tx ${"77".repeat(32)} at height 9 (event ni:///sha-256;ab?ver=CBV2.0)`);
    const json = await weft("--json escrow show PO-4711");
    expect(JSON.parse(json.stdout)).toEqual(view);
  });

  it("saves the proofs as files; --prove refuses proofs that do not hold (exit 1)", async () => {
    const saved = await weft("escrow show PO-4711 --save-proofs proofs");
    expect(saved.code, saved.stderr).toBe(0);
    const state = join(dir, "proofs", "escrow-PO-4711.state.proof.json");
    expect(JSON.parse(readFileSync(state, "utf8"))).toEqual(view.proof);
    expect(existsSync(join(dir, "proofs", `${"77".repeat(32)}.proof.json`))).toBe(true);
    const proved = await weft("escrow show PO-4711 --prove");
    expect(proved.code).toBe(1);
    expect(proved.stderr).toMatch(/^error: PROOF_MALFORMED: /);
  });
});
