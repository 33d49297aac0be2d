import { sha256Hex } from "@weft/core";

/**
 * The account a module acts as when it runs other modules' methods (`ctx.invoke`): a
 * governance decision executes as `moduleAccount("gov")`, never as whoever cast the deciding
 * vote, so a spending call in a proposal spends the module's own balance (none, unless funded).
 * No key exists for it: only the module's code can act as it.
 */
export function moduleAccount(module: string): string {
  return sha256Hex(`weft/module-account/v1\n${module}`).slice(0, 40);
}
