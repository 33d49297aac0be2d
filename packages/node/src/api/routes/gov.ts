import { Type } from "@sinclair/typebox";
import { AddressSchema } from "@weft/core";
import { listProposals } from "../../modules/gov/reader.js";
import type { ApiApp, RouteContext } from "../context.js";
import { problems } from "../schemas.js";

const Status = Type.Union(
  [
    Type.Literal("open"),
    Type.Literal("executed"),
    Type.Literal("rejected"),
    Type.Literal("expired"),
    Type.Literal("failed"),
  ],
  { description: "proposal status" },
);

const ProposalView = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  proposer: AddressSchema,
  proposerOrg: Type.Union([Type.String(), Type.Null()]),
  actions: Type.Array(Type.Object({ module: Type.String(), method: Type.String(), args: Type.Unknown() })),
  createdAt: Type.Integer({ description: "height" }),
  deadline: Type.Integer({ description: "block time (ms) after which it expires" }),
  votes: Type.Array(
    Type.Object({
      voter: AddressSchema,
      org: Type.Union([Type.String(), Type.Null()]),
      approve: Type.Boolean(),
      height: Type.Integer(),
    }),
  ),
  status: Status,
  decidedAt: Type.Optional(Type.Integer({ description: "height of the decision" })),
  error: Type.Optional(Type.Object({ code: Type.String(), message: Type.String() })),
});

export function govRoutes(app: ApiApp, { service }: RouteContext): void {
  app.get(
    "/v1/gov/proposals",
    {
      schema: {
        tags: ["state"],
        summary: "Governance proposals, newest first (gov/proposal/<id> state keys)",
        querystring: Type.Object(
          {
            status: Type.Optional(Status),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
            before: Type.Optional(
              Type.Integer({
                minimum: 1,
                maximum: Number.MAX_SAFE_INTEGER,
                description: "list ids below this",
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            height: Type.Integer({ description: "committed height the answer is read at" }),
            proposals: Type.Array(ProposalView),
            next: Type.Optional(Type.Integer({ description: "pass as `before` for older proposals" })),
          }),
          ...problems(400),
        },
      },
    },
    async (request) => {
      const { status, limit = 50, before } = request.query;
      // Service reads are synchronous: every key below is read at the same committed height.
      const { height } = service.getState("gov/next-id");
      const page = listProposals((key) => service.getState(key).value ?? undefined, {
        ...(status ? { status } : {}),
        limit,
        ...(before !== undefined ? { before } : {}),
      });
      return { height, ...page };
    },
  );
}
