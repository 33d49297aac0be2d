/**
 * Admission's stateful check: would the chain's authorizers (identity policies) allow this call
 * if it ran in the next block? Judged against the committed head state (height = head + 1,
 * time = head time), so a transaction its policy denies is refused at the API with the same
 * typed error instead of only failing on chain. The chain still decides: state may change
 * before the transaction is included.
 */
import { addressOf, type CanonicalValue, type DecodedTx, parseJson } from "@weft/core";
import type { ChainStore } from "../storage/chain-store.js";
import type { AuthorizeContext, ResourceFacts, StateView } from "./module.js";
import type { ModuleRegistry } from "./registry.js";

/**
 * Parsed head-state values shared by every admission until the next commit: each transaction
 * reads the same org list, policy and org record (with its CA certificates), so parsing them
 * once per block instead of once per transaction matters at thousands of transactions a second.
 * Authorizers only read, so the values are handed out uncopied.
 */
export class HeadStateCache {
  #blockHash: string | undefined;
  readonly #values = new Map<string, CanonicalValue | undefined>();

  constructor(private readonly store: ChainStore) {}

  view(blockHash: string): StateView {
    if (blockHash !== this.#blockHash) {
      this.#values.clear();
      this.#blockHash = blockHash;
    }
    return {
      get: (key) => {
        if (this.#values.has(key)) return this.#values.get(key);
        const bytes = this.store.getState(key);
        const value = bytes === undefined ? undefined : (parseJson(bytes) as CanonicalValue);
        this.#values.set(key, value);
        return value;
      },
    };
  }
}

export function authorizeAtHead(
  registry: ModuleRegistry,
  store: ChainStore,
  chainId: string,
  decoded: DecodedTx,
  cache: HeadStateCache = new HeadStateCache(store),
): void {
  if (registry.authorizers.length === 0) return;
  const head = store.head();
  if (!head) return;
  const state = cache.view(head.blockHash);
  const { module, method, args, signer } = decoded.tx.body;
  const sender = addressOf(signer);
  const call = { module, method, args };
  // Admission already resolved the call and checked its arguments.
  const definition = registry.module(module).methods[method];
  let facts: ResourceFacts | undefined;
  const context: AuthorizeContext = {
    chainId,
    height: head.height + 1,
    time: head.time,
    sender,
    approvers: [sender],
    via: "tx",
    call,
    // Worked out only if an authorizer asks (an open chain's never does): parsing is not free.
    get facts() {
      facts ??= definition?.resource?.(state, args, sender) ?? {};
      return facts;
    },
    state,
  };
  for (const authorizer of registry.authorizers) authorizer.authorize?.(context);
}
