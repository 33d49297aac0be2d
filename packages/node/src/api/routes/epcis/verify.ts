import { Type } from "@sinclair/typebox";
import { canonicalIdentifier } from "@weft/epcis";
import type { ScanRequest } from "../../../verify/verify.js";
import { ItemVerifier } from "../../../verify/verify.js";
import type { ApiApp } from "../../context.js";
import type { EpcisRuntime } from "../../epcis/runtime.js";
import { ApiError } from "../../problem.js";
import { problems, ref, TxProofBundle } from "../../schemas.js";
import { need, sendJson } from "./common.js";

const ScannerId = Type.String({
  pattern: "^[\\x21-\\x7e][\\x20-\\x7e]{0,127}$",
  description: "who scanned: device, app installation or point-of-sale id (printable ASCII, 1..128)",
});
const CorrUUID = Type.String({ minLength: 1, maxLength: 64, description: "correlation id, echoed back" });
const Lat = Type.Number({ minimum: -90, maximum: 90 });
const Lon = Type.Number({ minimum: -180, maximum: 180 });

const LedgerRecord = Type.Union([
  Type.Null(),
  Type.Object(
    {
      eventId: Type.String(),
      eventTime: Type.String(),
      bizStep: Type.Optional(Type.String()),
      disposition: Type.Optional(Type.String()),
      txHash: Type.String(),
      height: Type.Integer(),
      logIndex: Type.Integer({
        description: "position of the event's trace.EventCaptured record (in proof.events)",
      }),
      proof: Type.Optional(ref(TxProofBundle)),
    },
    { additionalProperties: false },
  ),
]);

const SignalSchema = Type.Object(
  {
    type: Type.Union(
      ["NEVER_COMMISSIONED", "SCANNED_AFTER_END_OF_LIFE", "IMPOSSIBLE_TRAVEL", "MANY_SCANNERS"].map((t) =>
        Type.Literal(t),
      ),
    ),
    kind: Type.Union([Type.Literal("counterfeit"), Type.Literal("clone")]),
    detail: Type.String(),
    evidence: Type.Object({}, { additionalProperties: true }),
  },
  { additionalProperties: false },
);

const Location = Type.Object({ lat: Lat, lon: Lon }, { additionalProperties: false });

export const VerificationResponseSchema = Type.Object(
  {
    corrUUID: Type.Optional(Type.String()),
    responderGLN: Type.Optional(Type.String()),
    verificationTimestamp: Type.String(),
    data: Type.Object(
      {
        verified: Type.Boolean({
          description: "the serial was commissioned on the ledger (and lot/expiry match)",
        }),
        verificationFailureReason: Type.Optional(
          Type.String({
            description:
              "No_match_GTIN_Serial | No_match_GTIN_Serial_Lot | No_match_GTIN_Serial_Expiry | No_match_GTIN_Serial_Lot_Expiry",
          }),
        ),
        additionalInfo: Type.Optional(
          Type.String({ description: "Suspect (a clone signal) > Recalled > Expired" }),
        ),
      },
      { additionalProperties: false, description: "GS1 Lightweight Verification response data" },
    ),
    item: Type.Object(
      {
        digitalLink: Type.String(),
        identifier: Type.String(),
        gtin: Type.Optional(Type.String()),
        serial: Type.Optional(Type.String()),
        lot: Type.Optional(Type.String()),
        expiry: Type.Optional(Type.String()),
      },
      { additionalProperties: false },
    ),
    ledger: Type.Object(
      {
        chainId: Type.String(),
        genesisHash: Type.String(),
        indexedHeight: Type.Integer(),
        commissioning: LedgerRecord,
        latest: LedgerRecord,
        lastDisposition: Type.Union([Type.String(), Type.Null()]),
        persistentDispositions: Type.Array(Type.String()),
      },
      { additionalProperties: false },
    ),
    signals: Type.Array(SignalSchema),
    scan: Type.Object(
      {
        scanId: Type.String(),
        time: Type.String(),
        scannerId: Type.String(),
        saleChannel: Type.Boolean(),
        location: Type.Optional(Location),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false, $id: "VerificationResponse" },
);

const ScanBody = Type.Object(
  {
    digitalLink: Type.String({ minLength: 1, maxLength: 4096, description: "the scanned GS1 Digital Link" }),
    scannerId: ScannerId,
    location: Type.Optional(Location),
    saleChannel: Type.Optional(
      Type.Boolean({ description: "scanned at a point of sale, resale intake or marketplace" }),
    ),
    corrUUID: Type.Optional(CorrUUID),
    proofs: Type.Optional(Type.Boolean({ description: "include the proof bundles (default true)" })),
  },
  { additionalProperties: false },
);

const ScanQuery = Type.Object(
  {
    dl: Type.String({
      minLength: 1,
      maxLength: 4096,
      description: "the scanned GS1 Digital Link (URL-encoded)",
    }),
    scanner: ScannerId,
    lat: Type.Optional(Lat),
    lon: Type.Optional(Lon),
    saleChannel: Type.Optional(Type.Boolean()),
    corrUUID: Type.Optional(CorrUUID),
    proofs: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

const ScanRecordSchema = Type.Object(
  {
    scanId: Type.String(),
    item: Type.String(),
    digitalLink: Type.String(),
    scannerId: Type.String(),
    time: Type.String(),
    location: Type.Optional(Location),
    saleChannel: Type.Boolean(),
    verified: Type.Boolean(),
    signals: Type.Array(Type.String()),
    corrUUID: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

const DESCRIPTION =
  "GS1 Lightweight Verification response (data.verified, data.verificationFailureReason, data.additionalInfo, corrUUID) " +
  "extended with ledger (proof bundles of the commissioning and latest events' transactions, last disposition) and " +
  "signals (NEVER_COMMISSIONED, SCANNED_AFTER_END_OF_LIFE, IMPOSSIBLE_TRAVEL, MANY_SCANNERS with their evidence). " +
  "The scan is logged on this node. A Digital Link that is not one item (no serial) or not valid is a 400 problem " +
  "(ID_* code, value, AI).";

export function verifyRoutes(app: ApiApp, runtime: EpcisRuntime | undefined): void {
  app.get(
    "/verify",
    {
      schema: {
        tags: ["verify"],
        summary: "Verify an item by scan (GET: the Digital Link and scanner in the query)",
        description: DESCRIPTION,
        querystring: ScanQuery,
        response: { 200: Type.Unsafe({ $ref: "VerificationResponse#" }), ...problems(400, 503) },
      },
    },
    async (request, reply) => {
      const q = request.query;
      if ((q.lat === undefined) !== (q.lon === undefined)) {
        throw new ApiError({
          code: "API_VALIDATION",
          message: "lat and lon must be given together",
          errors: [{ path: "querystring/lat", message: "lat and lon must be given together" }],
        });
      }
      const scan: ScanRequest = {
        digitalLink: q.dl,
        scannerId: q.scanner,
        ...(q.lat !== undefined && q.lon !== undefined ? { location: { lat: q.lat, lon: q.lon } } : {}),
        ...(q.saleChannel === undefined ? {} : { saleChannel: q.saleChannel }),
        ...(q.corrUUID === undefined ? {} : { corrUUID: q.corrUUID }),
        ...(q.proofs === undefined ? {} : { proofs: q.proofs }),
      };
      return sendJson(reply, 200, await need(runtime).verifier.verify(scan));
    },
  );

  app.post(
    "/verify",
    {
      schema: {
        tags: ["verify"],
        summary: "Verify an item by scan (POST: JSON body)",
        description: DESCRIPTION,
        body: ScanBody,
        response: { 200: Type.Unsafe({ $ref: "VerificationResponse#" }), ...problems(400, 415, 503) },
      },
    },
    async (request, reply) => sendJson(reply, 200, await need(runtime).verifier.verify(request.body)),
  );

  app.get(
    "/verify/scans",
    {
      schema: {
        tags: ["verify"],
        summary: "This node's scan log of one item, newest first",
        querystring: Type.Object(
          {
            dl: Type.String({
              minLength: 1,
              maxLength: 4096,
              description: "the item's Digital Link (or EPC URN)",
            }),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(ScanRecordSchema), ...problems(400, 503) },
      },
    },
    async (request, reply) => {
      const rt = need(runtime);
      const item = /^https?:/i.test(request.query.dl)
        ? ItemVerifier.parseItem(request.query.dl).identifier
        : canonicalIdentifier(request.query.dl);
      const scans = rt.scans.list(item, request.query.limit ?? 100);
      return sendJson(
        reply,
        200,
        scans.map((s) => ({ ...s, time: new Date(s.time).toISOString() })),
      );
    },
  );
}
