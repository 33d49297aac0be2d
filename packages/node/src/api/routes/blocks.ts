import { Type } from "@sinclair/typebox";
import type { ApiApp, RouteContext } from "../context.js";
import { notFound } from "../problem.js";
import { BlockView, problems, ref } from "../schemas.js";

export function blockRoutes(app: ApiApp, { service }: RouteContext): void {
  app.get(
    "/v1/blocks/latest",
    {
      schema: {
        tags: ["blocks"],
        summary: "The last committed block with its hash and commit certificate",
        response: { 200: ref(BlockView, "the block"), ...problems(404) },
      },
    },
    async () => {
      const view = service.latestBlock();
      if (!view) throw notFound("block", "latest");
      return view;
    },
  );

  app.get(
    "/v1/blocks/:height",
    {
      schema: {
        tags: ["blocks"],
        summary: "The block at a height with its hash and commit certificate",
        params: Type.Object(
          { height: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) },
          { additionalProperties: false },
        ),
        response: { 200: ref(BlockView, "the block"), ...problems(400, 404) },
      },
    },
    async (request) => {
      const view = service.getBlock(request.params.height);
      if (!view) throw notFound("block at height", request.params.height);
      return view;
    },
  );
}
