import { Type } from "@sinclair/typebox";
import { escrowRecords, explainEscrow } from "../../modules/escrow/explain.js";
import { EscrowId } from "../../modules/escrow/schema.js";
import type { Escrow } from "../../modules/escrow/state.js";
import type { ApiApp, RouteContext } from "../context.js";
import { notFound } from "../problem.js";
import { problems, ref, StateProofBundle, TxProofBundle } from "../schemas.js";

const RecordProof = Type.Object({
  height: Type.Integer(),
  txHash: Type.String(),
  logIndex: Type.Optional(Type.Integer({ description: "log entry of the record's chain event" })),
  eventId: Type.Optional(Type.String({ description: "CBV 2.0 hash of the EPCIS event" })),
  proof: ref(TxProofBundle, "proves the transaction and its events (verifyProof with the genesis file)"),
});

export function escrowRoutes(app: ApiApp, { service }: RouteContext): void {
  app.get(
    "/v1/escrows/:id",
    {
      schema: {
        tags: ["state"],
        summary: "An escrow, why it is where it is, and a proof of every record that moved it",
        description:
          "The escrow's stored record (terms, each condition with the record that met it, milestones paid, status, history) with a proof of its state key; `why` says in words what happened; `records` carries, for the opening transaction and every record that met a condition, held the funds or cost a penalty, the proof bundle of its transaction.",
        params: Type.Object({ id: EscrowId }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            height: Type.Integer({ description: "committed height the answer is read at" }),
            escrow: Type.Unknown({ description: "the escrow record (escrow/escrow/<id>)" }),
            proof: ref(StateProofBundle, "proof of the escrow's state key"),
            why: Type.Array(Type.String()),
            records: Type.Array(RecordProof),
          }),
          ...problems(400, 404),
        },
      },
    },
    async (request) => {
      // Service reads are synchronous: the record and its proof are read at one height.
      const read = service.query("escrow", "escrow", { id: request.params.id });
      if (read.value === null) throw notFound("escrow", request.params.id);
      const escrow = read.value as unknown as Escrow;
      return {
        height: read.height,
        escrow,
        proof: service.proveState(read.key),
        why: explainEscrow(escrow),
        records: escrowRecords(escrow).map((r) => ({ ...r, proof: service.proveTx(r.txHash) })),
      };
    },
  );
}
