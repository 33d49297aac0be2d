import { certify, nextProposal, type SoloState } from "@weft/consensus";
import { addressOf, type Genesis, type KeyPair } from "@weft/core";
import type { Logger } from "pino";
import type { Application } from "../app/application.js";
import type { SoloOptions } from "./options.js";

/**
 * Runs the single-validator engine against the application: the timers and the loop live here,
 * the decisions in @weft/consensus. One block is in flight at a time; transactions keep
 * arriving in the mempool while a block is being made durable.
 */
export class SoloDriver {
  private stopped = false;
  private wake: (() => void) | undefined;
  private cancelSleep: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private lastStart = 0;

  constructor(
    private readonly app: Application,
    private readonly genesis: Genesis,
    private readonly key: KeyPair,
    private readonly options: SoloOptions,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  start(): void {
    this.loop ??= this.run().catch((e: unknown) => {
      this.log.fatal({ err: e }, "block production stopped");
      throw e;
    });
  }

  /** Called when the mempool gains a transaction. */
  notify(): void {
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    this.cancelSleep?.();
    await this.loop?.catch(() => undefined);
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      await this.waitForWork();
      if (this.stopped) break;
      const head = this.app.lastCommitted();
      // One key certifies every block: a set governance changed to anything else cannot be
      // served by this engine (its blocks would fail every check); stop rather than fork.
      const set = this.app.validatorsAt(head.height + 1);
      if (set.length !== 1 || set[0]?.address !== addressOf(this.key)) {
        this.log.fatal(
          { height: head.height + 1, validators: set.length },
          "the validator set is no longer this node alone: the solo engine stops (run Tendermint)",
        );
        return;
      }
      const state: SoloState = { height: head.height, lastCommit: head.commit };
      this.lastStart = this.now();
      const block = this.app.prepareProposal(nextProposal(state, this.genesis, this.key));
      if (block.txs.length === 0 && !this.options.emptyBlocks) continue;
      await this.app.commitBlock(block, certify(block, this.key, this.now()));
    }
  }

  private async waitForWork(): Promise<void> {
    const wait = this.lastStart + this.options.blockIntervalMs - this.now();
    if (wait > 0) await this.sleep(wait);
    if (this.stopped || this.options.emptyBlocks || this.app.mempool.size > 0) return;
    await new Promise<void>((resolve) => {
      this.wake = resolve;
    });
    this.wake = undefined;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.cancelSleep = () => {
        clearTimeout(timer);
        resolve();
      };
    }).then(() => {
      this.cancelSleep = undefined;
    });
  }
}
