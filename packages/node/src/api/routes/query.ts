import { Type } from "@sinclair/typebox";
import { AddressSchema, IdentifierSchema } from "@weft/core";
import type { QueryResult } from "../../service.js";
import type { ApiApp, RouteContext } from "../context.js";
import { problems, ref, StateValue } from "../schemas.js";

const Prove = Type.Optional(
  Type.Boolean({ description: "include a proof of the state key the answer comes from" }),
);
const Asset = Type.String({ minLength: 1, maxLength: 64, description: "asset symbol" });
const response = {
  200: ref(StateValue, "the answer, and a proof of its state key with prove=true"),
  ...problems(400, 404, 422),
};

export function queryRoutes(app: ApiApp, { service }: RouteContext): void {
  // Service calls are synchronous, so the query and its proof see the same committed height.
  const answer = (result: QueryResult, prove: boolean) =>
    prove ? { ...result, proof: service.proveState(result.key) } : result;

  const catalogue = service
    .listQueries()
    .map((q) => `- \`${q.module}/${q.name}\`: ${q.description}`)
    .join("\n");

  app.get(
    "/v1/query/:module/:name",
    {
      schema: {
        tags: ["state"],
        summary: "Module query; other query-string parameters are passed to it",
        description: catalogue ? `Available queries:\n\n${catalogue}` : undefined,
        params: Type.Object(
          { module: IdentifierSchema, name: IdentifierSchema },
          { additionalProperties: false },
        ),
        querystring: Type.Object({ prove: Prove }, { additionalProperties: Type.String() }),
        response,
      },
    },
    async (request) => {
      const { prove = false, ...params } = request.query as { prove?: boolean } & Record<string, string>;
      return answer(service.query(request.params.module, request.params.name, params), prove);
    },
  );

  app.get(
    "/v1/token/balances/:asset/:address",
    {
      schema: {
        tags: ["state"],
        summary: "An account's balance of an asset (token/balance query)",
        params: Type.Object({ asset: Asset, address: AddressSchema }, { additionalProperties: false }),
        querystring: Type.Object({ prove: Prove }, { additionalProperties: false }),
        response,
      },
    },
    async (request) => {
      const { asset, address } = request.params;
      return answer(service.query("token", "balance", { asset, address }), request.query.prove ?? false);
    },
  );

  app.get(
    "/v1/token/assets/:asset",
    {
      schema: {
        tags: ["state"],
        summary: "An asset's definition and supply (token/asset query)",
        params: Type.Object({ asset: Asset }, { additionalProperties: false }),
        querystring: Type.Object({ prove: Prove }, { additionalProperties: false }),
        response,
      },
    },
    async (request) => {
      const { asset } = request.params;
      return answer(service.query("token", "asset", { asset }), request.query.prove ?? false);
    },
  );
}
