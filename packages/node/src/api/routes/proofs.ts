import { Type } from "@sinclair/typebox";
import type { ApiApp, RouteContext } from "../context.js";
import { problems, ref, TxHash, TxProofBundle } from "../schemas.js";

export function proofRoutes(app: ApiApp, { service }: RouteContext): void {
  app.get(
    "/v1/proofs/tx/:hash",
    {
      schema: {
        tags: ["proofs"],
        summary: "A bundle proving a committed transaction and its result, verifiable with the genesis file",
        params: Type.Object({ hash: TxHash }, { additionalProperties: false }),
        response: { 200: ref(TxProofBundle, "the proof bundle"), ...problems(400, 404) },
      },
    },
    async (request) => service.proveTx(request.params.hash),
  );
}
