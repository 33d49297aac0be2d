import { hexToBytes, parseJson, proveState, utf8, type Validator, type ValidatorSetChange } from "@weft/core";
import type { ChainStore } from "../../storage/chain-store.js";
import { VALIDATOR_SET_KEY, validatorChangesIn } from "./state.js";

/**
 * What a proof bundle for a block at `height` carries so an offline verifier can walk from the
 * genesis set to that block's set: for each change effective at e ≤ height, block e-1's header,
 * its certificate and the new set proven at its state root. Empty while the set never changed.
 */
export function validatorSetChanges(store: ChainStore, height: number): ValidatorSetChange[] {
  const effective = validatorChangesIn((key) => store.getStateAt(key, height - 1));
  return effective
    .filter((e) => e <= height)
    .map((e) => {
      const block = store.getBlock(e - 1);
      const commit = store.getCommit(e - 1);
      const bytes = store.getStateAt(VALIDATOR_SET_KEY, e - 1);
      if (!block || !commit || !bytes)
        throw new Error(`validator set change at height ${e}: block ${e - 1} or its state is missing`);
      const proof = proveState(
        store.stateNodes,
        hexToBytes(block.header.stateRoot, 32),
        utf8(VALIDATOR_SET_KEY),
      );
      return {
        header: block.header,
        commit,
        set: parseJson(bytes) as unknown as Validator[],
        proof,
      };
    });
}
