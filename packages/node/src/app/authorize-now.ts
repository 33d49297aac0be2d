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

export function authorizeAtHead(
  registry: ModuleRegistry,
  store: ChainStore,
  chainId: string,
  decoded: DecodedTx,
): void {
  if (registry.authorizers.length === 0) return;
  const head = store.head();
  if (!head) return;
  const state: StateView = {
    get: (key) => {
      const bytes = store.getState(key);
      return bytes === undefined ? undefined : (parseJson(bytes) as CanonicalValue);
    },
  };
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
