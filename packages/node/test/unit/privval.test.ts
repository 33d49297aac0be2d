import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  addressOf,
  generateKeyPair,
  type KeyPair,
  type ProposalBody,
  type Validator,
  type VoteBody,
  verifyProposal,
  verifyVote,
} from "@weft/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PRIV_VALIDATOR_STATE_FILE, PrivValidator } from "../../src/consensus/privval.js";

const A = "a".repeat(64);
const B = "b".repeat(64);

const vote = (
  type: VoteBody["type"],
  height: number,
  round: number,
  blockHash: string | null,
  timestamp = 1000,
): VoteBody => ({ type, chainId: "weft-test", height, round, blockHash, timestamp });

const proposal = (height: number, round: number, blockHash = A, validRound = -1): ProposalBody => ({
  type: "proposal",
  chainId: "weft-test",
  height,
  round,
  blockHash,
  validRound,
});

const refusal = (code: string) => expect.objectContaining({ code });

describe.each(["ed25519", "p256"] as const)("PrivValidator (%s)", (alg) => {
  let dir: string;
  let key: KeyPair;
  let validators: Validator[];
  const stateFile = () => JSON.parse(readFileSync(join(dir, PRIV_VALIDATOR_STATE_FILE), "utf8"));

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "weft-privval-"));
    key = generateKeyPair(alg);
    validators = [
      { address: addressOf(key), publicKey: { alg: key.alg, publicKey: key.publicKey }, power: 1, name: "v" },
    ];
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("signs an increasing sequence of proposals and votes with valid signatures", () => {
    const pv = new PrivValidator(key, dir);
    expect(pv.lastSignState()).toBeUndefined();
    const p = pv.signProposal(proposal(1, 0));
    expect(verifyProposal(p, validators)).toBe(true);
    expect(p.proposer).toBe(addressOf(key));
    for (const v of [
      pv.signVote(vote("prevote", 1, 0, A)),
      pv.signVote(vote("precommit", 1, 0, A)),
      pv.signVote(vote("prevote", 1, 1, null)),
      pv.signVote(vote("precommit", 1, 1, null)),
      pv.signVote(vote("prevote", 2, 0, B)),
    ]) {
      expect(verifyVote(v, validators)).toBe(true);
      expect(v.validator).toBe(addressOf(key));
    }
    expect(pv.lastSignState()).toMatchObject({ height: 2, round: 0, step: 2 });
  });

  it("writes the state file before the signature is returned", () => {
    const pv = new PrivValidator(key, dir);
    const v = pv.signVote(vote("prevote", 3, 1, A, 1234));
    expect(stateFile()).toEqual({
      height: 3,
      round: 1,
      step: 2,
      validator: addressOf(key),
      body: vote("prevote", 3, 1, A, 1234),
      signature: v.signature,
    });
    const p = pv.signProposal(proposal(4, 0, B, -1));
    expect(stateFile()).toMatchObject({ height: 4, round: 0, step: 1, signature: p.signature });
  });

  it("refuses to sign below the last height, round or step", () => {
    const pv = new PrivValidator(key, dir);
    pv.signVote(vote("prevote", 5, 2, A));
    const before = readFileSync(join(dir, PRIV_VALIDATOR_STATE_FILE), "utf8");
    expect(() => pv.signVote(vote("prevote", 4, 9, A))).toThrow(refusal("PRIVVAL_REGRESSION"));
    expect(() => pv.signVote(vote("precommit", 5, 1, A))).toThrow(refusal("PRIVVAL_REGRESSION"));
    expect(() => pv.signProposal(proposal(5, 2))).toThrow(refusal("PRIVVAL_REGRESSION"));
    expect(readFileSync(join(dir, PRIV_VALIDATOR_STATE_FILE), "utf8")).toBe(before);
    // Higher steps, rounds and heights are still fine.
    expect(() => pv.signVote(vote("precommit", 5, 2, A))).not.toThrow();
    expect(() => pv.signProposal(proposal(5, 3))).not.toThrow();
  });

  it("refuses a different message at the same height, round and step", () => {
    const pv = new PrivValidator(key, dir);
    pv.signVote(vote("prevote", 6, 0, A));
    expect(() => pv.signVote(vote("prevote", 6, 0, B))).toThrow(refusal("PRIVVAL_CONFLICT"));
    expect(() => pv.signVote(vote("prevote", 6, 0, null))).toThrow(
      expect.objectContaining({
        code: "PRIVVAL_CONFLICT",
        message: expect.stringMatching(/height 6 round 0 step 2.*nil.*a{64}/),
      }),
    );
    expect(() => pv.signVote({ ...vote("prevote", 6, 0, A), chainId: "other" })).toThrow(
      refusal("PRIVVAL_CONFLICT"),
    );

    pv.signVote(vote("precommit", 6, 0, null));
    expect(() => pv.signVote(vote("precommit", 6, 0, A))).toThrow(refusal("PRIVVAL_CONFLICT"));

    pv.signProposal(proposal(7, 0, A, -1));
    expect(() => pv.signProposal(proposal(7, 0, B, -1))).toThrow(refusal("PRIVVAL_CONFLICT"));
    expect(() => pv.signProposal(proposal(7, 0, A, 0))).toThrow(refusal("PRIVVAL_CONFLICT"));
    expect(stateFile().body).toEqual(proposal(7, 0, A, -1));
  });

  it("returns the stored signature for the same message, whatever the new timestamp", () => {
    const pv = new PrivValidator(key, dir);
    const first = pv.signVote(vote("precommit", 8, 1, A, 5000));
    expect(pv.signVote(vote("precommit", 8, 1, A, 5000))).toEqual(first);
    expect(pv.signVote(vote("precommit", 8, 1, A, 9999))).toEqual(first);
    const p = pv.signProposal(proposal(9, 0));
    expect(pv.signProposal(proposal(9, 0))).toEqual(p);
  });

  it("keeps its state across a restart", () => {
    const first = new PrivValidator(key, dir);
    const signed = first.signVote(vote("prevote", 10, 0, A, 42));
    const restarted = new PrivValidator(key, dir);
    expect(restarted.lastSignState()).toMatchObject({ height: 10, round: 0, step: 2 });
    expect(() => restarted.signVote(vote("prevote", 10, 0, B))).toThrow(refusal("PRIVVAL_CONFLICT"));
    expect(() => restarted.signVote(vote("prevote", 9, 0, A))).toThrow(refusal("PRIVVAL_REGRESSION"));
    expect(restarted.signVote(vote("prevote", 10, 0, A, 77))).toEqual(signed);
  });

  it("drops fields that are not part of the message", () => {
    const pv = new PrivValidator(key, dir);
    const smuggled = { ...vote("prevote", 11, 0, A), extra: "x" } as VoteBody;
    const signed = pv.signVote(smuggled);
    expect(signed).not.toHaveProperty("extra");
    expect(verifyVote(signed, validators)).toBe(true);
  });

  it("refuses malformed messages", () => {
    const pv = new PrivValidator(key, dir);
    for (const bad of [
      vote("prevote", 0, 0, A),
      vote("prevote", Number.NaN, 0, A),
      vote("prevote", 1, -1, A),
      vote("prevote", 1, 0.5, A),
      vote("prevote", 1, 0, "xyz"),
    ]) {
      expect(() => pv.signVote(bad)).toThrow(refusal("PRIVVAL_INVALID_BODY"));
    }
    expect(pv.lastSignState()).toBeUndefined();
  });

  it("refuses to start on a corrupt or foreign state file", () => {
    const path = join(dir, PRIV_VALIDATOR_STATE_FILE);
    new PrivValidator(key, dir).signVote(vote("prevote", 12, 0, A));
    const good = readFileSync(path, "utf8");
    const state = JSON.parse(good);
    const cases = [
      "",
      "{",
      "null",
      JSON.stringify({ ...state, height: "12" }),
      JSON.stringify({ ...state, step: 3 }),
      JSON.stringify({ ...state, body: { ...state.body, blockHash: B } }),
      JSON.stringify({ ...state, extra: 1 }),
    ];
    for (const text of cases) {
      writeFileSync(path, text);
      expect(() => new PrivValidator(key, dir), text).toThrow(refusal("PRIVVAL_CORRUPT_STATE"));
    }
    writeFileSync(path, good);
    expect(() => new PrivValidator(generateKeyPair(alg), dir)).toThrow(refusal("PRIVVAL_CORRUPT_STATE"));
    expect(new PrivValidator(key, dir).lastSignState()).toEqual(state);
  });
});
