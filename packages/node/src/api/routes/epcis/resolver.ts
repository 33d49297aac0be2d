import { STATUS_CODES } from "node:http";
import { Type } from "@sinclair/typebox";
import { GS1_RESOLVER, IdentifierError, parseDigitalLink } from "@weft/epcis";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { ApiApp } from "../../context.js";
import { EpcisError } from "../../epcis/errors.js";
import type { EpcisApiOptions } from "../../epcis/options.js";
import { LINK_TYPES, linkHeader, linksetOf, linkTypeOf, PRIMARY_KEYS } from "../../epcis/resolver.js";
import { sendProblem } from "../../error-handler.js";
import { PROBLEM_CONTENT_TYPE, PROBLEM_TYPE_PREFIX, type Problem } from "../../problem.js";
import { problems } from "../../schemas.js";
import { baseUrl, sendJson } from "./common.js";

/** Documented forms; every other primary key (and qualifier path) is served by a hidden wildcard route. */
const DOCUMENTED: readonly { url: string; summary: string; params: Record<string, string> }[] = [
  { url: "/01/:gtin", summary: "a product (GTIN)", params: { gtin: "GTIN-14 (or 8/12/13 digits)" } },
  {
    url: "/01/:gtin/21/:serial",
    summary: "a serialised item (SGTIN)",
    params: { gtin: "GTIN", serial: "serial number" },
  },
  { url: "/01/:gtin/10/:lot", summary: "a lot (LGTIN)", params: { gtin: "GTIN", lot: "batch/lot" } },
  {
    url: "/01/:gtin/10/:lot/21/:serial",
    summary: "a serialised item with its lot",
    params: { gtin: "GTIN", lot: "batch/lot", serial: "serial number" },
  },
  { url: "/00/:sscc", summary: "a logistic unit (SSCC)", params: { sscc: "SSCC (18 digits)" } },
  { url: "/414/:gln", summary: "a location (GLN)", params: { gln: "GLN (13 digits)" } },
  {
    url: "/414/:gln/254/:extension",
    summary: "a sub-location (GLN + extension)",
    params: { gln: "GLN", extension: "AI (254)" },
  },
  { url: "/8004/:giai", summary: "an individual asset (GIAI)", params: { giai: "GIAI" } },
];

const ResolverQuery = Type.Object(
  {
    linkType: Type.Optional(
      Type.String({
        description:
          "absent, all or linkset: the linkset; gs1:pip, gs1:traceability, gs1:verificationService or gs1:defaultLink: a 307 redirect to that link",
      }),
    ),
  },
  { additionalProperties: true, description: "GS1 data attributes (e.g. 17=YYMMDD) may follow" },
);

const LinkTargetSchema = Type.Object(
  { href: Type.String(), title: Type.String(), type: Type.String() },
  { additionalProperties: false },
);

export const LinksetSchema = Type.Object(
  {
    linkset: Type.Array(
      Type.Object(
        {
          anchor: Type.String({ description: "the identifier as a GS1 Digital Link on id.gs1.org" }),
          [LINK_TYPES.pip]: Type.Optional(Type.Array(LinkTargetSchema)),
          [LINK_TYPES.traceability]: Type.Optional(Type.Array(LinkTargetSchema)),
          [LINK_TYPES.verificationService]: Type.Optional(Type.Array(LinkTargetSchema)),
          [LINK_TYPES.defaultLink]: Type.Optional(Type.Array(LinkTargetSchema)),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false, $id: "Linkset", description: "RFC 9264 linkset (application/linkset+json)" },
);

/** Identifier errors (bad check digit, bad qualifier …) are 400 problems naming the value and AI. */
export function sendIdentifierProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  error: unknown,
): FastifyReply {
  if (error instanceof IdentifierError) {
    const problem: Problem = {
      type: PROBLEM_TYPE_PREFIX + error.code,
      title: STATUS_CODES[400] ?? "Bad Request",
      status: 400,
      detail: error.message,
      code: error.code,
      instance: request.url,
      value: error.type.value,
      ...(error.type.ai ? { ai: error.type.ai } : {}),
      ...(error.type.input ? { input: error.type.input } : {}),
    };
    request.log.info(
      { code: problem.code, status: 400, url: request.url, detail: problem.detail },
      "request rejected",
    );
    return reply.code(400).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
  }
  if (error instanceof EpcisError) {
    const problem: Problem = {
      type: `${PROBLEM_TYPE_PREFIX}EPCIS_${error.exception}`,
      title: STATUS_CODES[error.status] ?? "Error",
      status: error.status,
      detail: error.message,
      code: `EPCIS_${error.exception}`,
      instance: request.url,
    };
    return reply.code(error.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
  }
  return sendProblem(request, reply, error);
}

export function resolverRoutes(app: ApiApp, options: EpcisApiOptions): void {
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const dl = parseDigitalLink(GS1_RESOLVER + request.url);
    const base = baseUrl(request, options.publicBaseUrl);
    const linkset = linksetOf(dl, { base, pipUrlTemplate: options.pipUrlTemplate });
    const path = request.url.split("?", 1)[0] as string;
    const self = `${base}${path}?linkType=linkset`;
    reply.header("Link", linkHeader(linkset, self));
    const wanted = dl.linkType;
    if (wanted === undefined || wanted === "all" || wanted === "linkset") {
      return sendJson(reply, 200, linkset, "application/linkset+json");
    }
    const [context] = linkset.linkset;
    const type = linkTypeOf(wanted) ?? LINK_TYPES.defaultLink;
    const target = (context[type] ?? context[LINK_TYPES.defaultLink]) as { href: string }[] | undefined;
    if (!target?.[0]) {
      throw new IdentifierError({
        code: "ID_SYNTAX",
        message: `no ${wanted} link for this identifier`,
        value: wanted,
      });
    }
    return reply.code(307).header("Location", target[0].href).send();
  };

  for (const form of DOCUMENTED) {
    app.get(
      form.url,
      {
        schema: {
          tags: ["resolver"],
          summary: `GS1 Digital Link resolver: ${form.summary}`,
          description:
            "RFC 9264 linkset (application/linkset+json, also as a Link header) with gs1:pip (product information), " +
            "gs1:traceability (this node's EPCIS events of the identifier) and gs1:verificationService (this node's " +
            "item verification), or a 307 redirect to one link with ?linkType=. A bad identifier (check digit, " +
            "length, characters, qualifier) is a 400 problem with the ID_* code, the value and the AI.",
          params: Type.Object(
            Object.fromEntries(
              Object.entries(form.params).map(([k, d]) => [k, Type.String({ description: d })]),
            ),
            { additionalProperties: false },
          ),
          querystring: ResolverQuery,
          response: {
            200: Type.Unsafe({ $ref: "Linkset#", description: "the linkset (application/linkset+json)" }),
            307: { description: "redirect to the link named by linkType" },
            ...problems(400),
          },
        },
      },
      handler,
    );
  }
  for (const ai of PRIMARY_KEYS) {
    const documented = DOCUMENTED.filter((f) => f.url.startsWith(`/${ai}/`));
    const param = documented[0]?.url.split("/")[2] ?? ":key";
    if (documented.length === 0) app.get(`/${ai}/${param}`, { schema: { hide: true } }, handler);
    app.get(`/${ai}/${param}/*`, { schema: { hide: true } }, handler);
  }
}
