import { getOrCreate } from "./maps.js";
import {
  describeMessage,
  heightOf,
  isValidValue,
  type Message,
  signatureSlot,
  signerOf,
} from "./messages.js";

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
