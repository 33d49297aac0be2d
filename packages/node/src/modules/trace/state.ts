import type { CanonicalValue } from "@weft/core";
import type { ModuleState } from "../../app/module.js";

/**
 * On-chain record of an event id (`trace/event/<hex>`): enough for duplicate detection and a state
 * proof that the id exists. The event itself travels in the `EventCaptured` chain event.
 */
export interface EventRecord {
  /** Account that captured the document (for an anchor not yet disclosed: the anchoring account). */
  capturedBy: string;
  /** Height of the capture (or of the anchor while `anchoredOnly`). */
  height: number;
  /** True while only the hash is on chain (`trace.anchor`); the document is with its owner. */
  anchoredOnly: boolean;
  /** Set when a captured document discloses an earlier anchor. */
  anchoredBy?: string;
  anchoredAt?: number;
}

/** On-chain record of an error declaration of an event id (`trace/declared/<hex>`). */
export interface DeclarationRecord {
  declaredBy: string;
  height: number;
}

export const eventKey = (hex: string) => `event/${hex}`;
export const declarationKey = (hex: string) => `declared/${hex}`;

/** Typed accessors over the trace namespace. */
export class TraceStore {
  constructor(private readonly state: ModuleState) {}

  event(hex: string): EventRecord | undefined {
    return this.state.get(eventKey(hex)) as EventRecord | undefined;
  }

  putEvent(hex: string, record: EventRecord): void {
    this.state.set(eventKey(hex), record as unknown as CanonicalValue);
  }

  declaration(hex: string): DeclarationRecord | undefined {
    return this.state.get(declarationKey(hex)) as DeclarationRecord | undefined;
  }

  putDeclaration(hex: string, record: DeclarationRecord): void {
    this.state.set(declarationKey(hex), record as unknown as CanonicalValue);
  }
}
