import type { Output } from "../../src/index.js";
import { getOrCreate } from "./maps.js";
import {
  describeMessage,
  heightOf,
  isValidValue,
  type Message,
  signatureSlot,
  signerOf,
} from "./messages.js";
import type { SimNode } from "./node.js";

export type Property =
  | "agreement"
  | "validity"
  | "conflicting-signature"
  | "replay"
  | "false-evidence"
  | "liveness";

export interface Violation {
  property: Property;
  message: string;
  atMs: number;
}

/** Thrown to unwind the event loop at the first violation. */
export class ViolationFound extends Error {
  constructor(readonly violation: Violation) {
    super(`${violation.property}: ${violation.message}`);
  }
}

/**
 * The safety properties, checked as events happen so a run stops at the first violation. Only
 * honest identities are held to them; the Byzantine identity may sign anything.
 */
export class SafetyChecker {
  private readonly decided = new Map<number, { value: string; by: string }>();
  private readonly signed = new Map<string, { content: string; msg: Message }>();
  private readonly sentByHeight = new Map<string, Map<number, Set<string>>>();
  private readonly proposed = new Set<string>();

  constructor(
    private readonly honest: ReadonlySet<string>,
    private readonly clock: () => number,
  ) {}

  fail(property: Property, message: string): never {
    throw new ViolationFound({ property, message, atMs: this.clock() });
  }

  /** Any proposal that reached the network, from anyone: the pool validity draws from. */
  onProposed(value: string): void {
    this.proposed.add(value);
  }

  /** A message leaving a node signed by `address` (including re-sends after a restart). */
  onSigned(sender: string, msg: Message): void {
    if (msg.type === "proposal") this.onProposed(msg.proposal.value);
    const { slot, content } = signatureSlot(msg);
    const address = signerOf(msg);
    if (!this.honest.has(address)) return;
    const first = this.signed.get(slot);
    if (first === undefined) {
      this.signed.set(slot, { content, msg });
      const byHeight = getOrCreate(this.sentByHeight, address, () => new Map<number, Set<string>>());
      getOrCreate(byHeight, heightOf(msg), () => new Set<string>()).add(slot);
    } else if (first.content !== content) {
      this.fail(
        "conflicting-signature",
        `honest ${sender} signed ${describeMessage(first.msg)} and then ${describeMessage(msg)}`,
      );
    }
  }

  /** Signature slots an honest validator has used at `height`, for the replay check. */
  slotsSent(address: string, height: number): ReadonlySet<string> {
    return this.sentByHeight.get(address)?.get(height) ?? new Set();
  }

  onDecide(node: string, address: string, height: number, round: number, value: string): void {
    if (!this.honest.has(address)) return;
    if (!isValidValue(value)) this.fail("validity", `${node} decided invalid ${value} at height ${height}`);
    if (!this.proposed.has(value)) {
      this.fail("validity", `${node} decided ${value} at height ${height}, which nobody proposed`);
    }
    const first = this.decided.get(height);
    if (first === undefined) this.decided.set(height, { value, by: node });
    else if (first.value !== value) {
      this.fail(
        "agreement",
        `height ${height}: ${first.by} decided ${first.value} but ${node} decided ${value} (round ${round})`,
      );
    }
  }

  onEvidence(reporter: string, reporterAddress: string, accused: string): void {
    if (this.honest.has(reporterAddress) && this.honest.has(accused)) {
      this.fail("false-evidence", `${reporter} reported honest ${accused} as equivocating`);
    }
  }
}

/**
 * Every message an honest node signed at the heights being replayed left only after its input was
 * fsynced, so the replay must produce it again; a miss means the WAL lacks an input or the engine
 * is not a function of its inputs. (Different content would fail the signature check instead.)
 */
export function checkReplay(
  checker: SafetyChecker,
  node: SimNode,
  fromHeight: number,
  lastHeight: number,
  outputs: readonly Output[],
): void {
  if (node.role !== "honest") return;
  const replayed = new Set<string>();
  for (const o of outputs) {
    if (o.type === "broadcast-vote") replayed.add(signatureSlot({ type: "vote", vote: o.vote }).slot);
    if (o.type === "broadcast-proposal")
      replayed.add(signatureSlot({ type: "proposal", proposal: o.proposal }).slot);
  }
  for (let h = fromHeight; h <= lastHeight; h++) {
    for (const slot of checker.slotsSent(node.address, h)) {
      if (!replayed.has(slot))
        checker.fail("replay", `${node.label} signed ${slot} but its WAL replay did not`);
    }
  }
}

/**
 * Liveness after stabilisation: every honest node commits every height, each within `roundBound`
 * rounds of the highest round an honest node was in at that height when the system stabilised.
 */
export class LivenessChecker {
  private roundAtStable = new Map<number, number>();
  private stableAtMs = 0;

  constructor(
    private readonly checker: SafetyChecker,
    private readonly honest: readonly SimNode[],
    private readonly heights: number,
    private readonly roundBound: number | undefined,
  ) {}

  /** The system is stable from now (GST, or a restart after it): measure rounds from here. */
  stabilised(nowMs: number): void {
    this.stableAtMs = nowMs;
    this.roundAtStable = new Map();
    for (const n of this.honest) {
      const h = n.state.height;
      this.roundAtStable.set(h, Math.max(this.roundAtStable.get(h) ?? 0, n.state.round));
    }
  }

  allCommitted(): boolean {
    return this.honest.every((n) => n.lastCommitted >= this.heights);
  }

  check(nowMs: number): void {
    for (const n of this.honest) {
      if (n.lastCommitted >= this.heights) continue;
      const where = n.up ? `stuck at h${n.state.height} r${n.state.round} (${n.state.step})` : "down";
      this.checker.fail(
        "liveness",
        `${n.label} committed ${n.lastCommitted}/${this.heights} heights by ${nowMs}ms, ${where}`,
      );
    }
    if (this.roundBound === undefined) return;
    for (let h = 1; h <= this.heights; h++) {
      const round = Math.max(...this.honest.map((n) => n.chain.get(h)?.round ?? 0));
      const atStable = this.roundAtStable.get(h) ?? 0;
      if (round - atStable > this.roundBound) {
        this.checker.fail(
          "liveness",
          `height ${h} committed in round ${round}, ${round - atStable} rounds after stabilising at ` +
            `${this.stableAtMs}ms in round ${atStable}; bound ${this.roundBound}`,
        );
      }
    }
  }
}
