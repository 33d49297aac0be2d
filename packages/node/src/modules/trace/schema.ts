import { Type } from "@sinclair/typebox";
import { EVENT_ID_PATTERN } from "./ids.js";

const strict = { additionalProperties: false } as const;

/** Events one `trace.capture` or `trace.anchor` may carry (the tx size limit usually binds first). */
export const MAX_EVENTS_PER_TX = 1_000;

export const EventIdSchema = Type.String({
  pattern: EVENT_ID_PATTERN,
  description: "CBV 2.0 event hash: ni:///sha-256;<64 lower-case hex>?ver=CBV2.0",
});

export const CaptureArgsSchema = Type.Object(
  {
    document: Type.String({
      minLength: 2,
      description:
        "JSON text of an EPCIS 2.0 capture document (EPCISDocument, JSON or JSON-LD). Text, because sensor values are decimals and canonical JSON has none.",
    }),
    submittedBy: Type.Optional(
      Type.Object(
        {
          org: Type.String({ minLength: 1, maxLength: 128 }),
          id: Type.String({ minLength: 1, maxLength: 128 }),
        },
        {
          ...strict,
          description:
            "The member of the signer's organisation who asked for the capture (a node capturing on behalf of an authenticated API client); recorded in each EventCaptured as submittedByOrg / submittedById.",
        },
      ),
    ),
  },
  strict,
);

export const AnchorArgsSchema = Type.Object(
  { eventIds: Type.Array(EventIdSchema, { minItems: 1, maxItems: MAX_EVENTS_PER_TX }) },
  strict,
);

export const EventParamsSchema = Type.Object({ eventId: EventIdSchema }, strict);
