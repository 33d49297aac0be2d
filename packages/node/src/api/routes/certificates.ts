import { type Static, Type } from "@sinclair/typebox";
import type { ApiApp, RouteContext } from "../context.js";
import { ApiError } from "../problem.js";
import { problems } from "../schemas.js";

const CertificateEntry = Type.Object(
  {
    kind: Type.Union(
      ["node", "peer", "ca", "member", "device"].map((k) => Type.Literal(k)),
      {
        description:
          "node: this node's TLS certificate; peer: one a connected peer presented; ca: an active organisation's CA; member/device: an active member's certificate in the registry",
      },
    ),
    subject: Type.String({ description: "node id, CA common name, or member/device id" }),
    org: Type.String(),
    fingerprint: Type.String({ description: "SHA-256 of the DER, lower-case hex" }),
    notBefore: Type.Integer({ description: "ms since the epoch" }),
    notAfter: Type.Integer({ description: "ms since the epoch" }),
    expiresInDays: Type.Integer({ description: "whole days until notAfter (negative once expired)" }),
    status: Type.Union([Type.Literal("ok"), Type.Literal("expiring"), Type.Literal("expired")]),
  },
  { additionalProperties: false },
);

const CertificateList = Type.Object(
  {
    warningDays: Type.Integer({ description: "a certificate expiring within this many days is 'expiring'" }),
    certificates: Type.Array(CertificateEntry, { description: "soonest expiry first" }),
  },
  { additionalProperties: false },
);

const Query = Type.Object(
  {
    withinDays: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 36_500,
        description: "only certificates expiring within this many days (expired ones included)",
      }),
    ),
  },
  { additionalProperties: false },
);

export function certificateRoutes(app: ApiApp, { certificates }: RouteContext): void {
  app.get<{ Querystring: Static<typeof Query> }>(
    "/v1/identity/certificates",
    {
      schema: {
        tags: ["ops"],
        summary: "Certificates this node knows and when they expire (own TLS, peers', org CAs, members')",
        querystring: Query,
        response: { 200: CertificateList, ...problems(400, 404) },
      },
    },
    async (request) => {
      if (!certificates) {
        throw new ApiError({ code: "API_NOT_FOUND", message: "this node does not track certificates" });
      }
      return {
        warningDays: certificates.warningDays,
        certificates: certificates.list(request.query.withinDays),
      };
    },
  );
}
