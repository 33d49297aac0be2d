/**
 * The `escrow` module: payment that executes itself when agreed records are on the ledger.
 * See README.md in this folder for the terms, the conditions and how settlement works.
 */

import { Type } from "@sinclair/typebox";
import { defineQuery, type Module } from "../../app/module.js";
import { attest, cancel, dispute, open, resolve } from "./methods.js";
import { EscrowId, EscrowParamsSchema } from "./schema.js";
import { ESCROW_MODULE, settleBlock } from "./settle.js";
import { attestKey, escrowKey } from "./state.js";

export const escrowModule: Module = {
  name: ESCROW_MODULE,
  methods: { open, attest, dispute, resolve, cancel },
  queries: {
    escrow: defineQuery({
      description:
        "An escrow: terms, each condition and the record that met it, milestones paid, status and history.",
      params: EscrowParamsSchema,
      key: (p) => escrowKey(p.id),
    }),
    attestations: defineQuery({
      description: "Who attested a claim for an escrow, with the height and transaction of each attestation.",
      params: Type.Object(
        { id: EscrowId, claim: Type.String({ pattern: "^[A-Za-z0-9._:-]{1,64}$" }) },
        { additionalProperties: false },
      ),
      key: (p) => attestKey(p.id, p.claim),
      absent: [],
    }),
  },
  endBlock: settleBlock,
};
