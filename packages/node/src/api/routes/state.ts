import { Type } from "@sinclair/typebox";
import type { ApiApp, RouteContext } from "../context.js";
import { ApiError } from "../problem.js";
import { problems, ref, StateValue } from "../schemas.js";

export function stateRoutes(app: ApiApp, { service }: RouteContext): void {
  app.get(
    "/v1/state/*",
    {
      schema: {
        tags: ["state"],
        summary: "Raw state read; the rest of the path is the key (e.g. token/balance/ACME/<address>)",
        params: Type.Object(
          { "*": Type.String({ minLength: 1, maxLength: 1024, description: "state key" }) },
          { additionalProperties: false },
        ),
        querystring: Type.Object(
          {
            height: Type.Optional(
              Type.Integer({
                minimum: 0,
                maximum: Number.MAX_SAFE_INTEGER,
                description: "read an earlier version",
              }),
            ),
            prove: Type.Optional(Type.Boolean({ description: "include a state proof (latest height only)" })),
          },
          { additionalProperties: false },
        ),
        response: { 200: ref(StateValue, "the value, and its proof with prove=true"), ...problems(400, 404) },
      },
      config: {
        // Document the wildcard as a named path parameter.
        swaggerTransform: ({ schema, url }) => ({
          schema: {
            ...schema,
            params: Type.Object({ key: Type.String({ description: "state key; may contain '/'" }) }),
          },
          url: url.replace("*", ":key"),
        }),
      },
    },
    async (request) => {
      const key = request.params["*"];
      const { height, prove = false } = request.query;
      if (!prove) return service.getState(key, height);
      if (height !== undefined) {
        throw new ApiError({
          code: "API_VALIDATION",
          message: "prove=true reads the latest height; omit height",
        });
      }
      // The bundle carries the value and height it proves: answering from it keeps them consistent.
      const proof = service.proveState(key);
      return { key, value: proof.value, height: proof.header.height, proof };
    },
  );
}
