/**
 * Admission's stateful check: would the chain's authorizers (identity policies) allow this call
 * if it ran in the next block? Judged against the committed head state (height = head + 1,
 * time = head time), so a transaction its policy denies is refused at the API with the same
 * typed error instead of only failing on chain. The chain still decides: state may change
 * before the transaction is included.
 */
import { addressOf, type CanonicalValue, type DecodedTx, parseJson } from "@weft/core";
import type { ChainStore } from "../storage/chain-store.js";
import type { StateView } from "./module.js";
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
  const facts = registry.method(module, method, args).resource?.(state, args, sender) ?? {};
  for (const authorizer of registry.authorizers) {
    authorizer.authorize?.({
      chainId,
      height: head.height + 1,
      time: head.time,
      sender,
      approvers: [sender],
      via: "tx",
      call,
      facts,
      state,
    });
  }
}
