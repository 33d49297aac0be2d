import { Type } from "@sinclair/typebox";
import { PublicKeyInfoSchema } from "@weft/core";

const strict = { additionalProperties: false } as const;
const Height = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });

export const ValidatorChangeSchema = Type.Object(
  {
    name: Type.String({ maxLength: 128 }),
    publicKey: PublicKeyInfoSchema,
    // Range checked in execute so a bad power fails with a typed module error, not a schema one.
    power: Type.Integer({ description: "New voting power; 0 removes the validator" }),
  },
  strict,
);

export const UpdateArgsSchema = Type.Object(
  {
    changes: Type.Array(ValidatorChangeSchema, { minItems: 1, maxItems: 100 }),
    effectiveHeight: Type.Optional(Height),
  },
  { ...strict, description: "Validator additions, power changes and removals, from a height on" },
);

// Query parameters arrive as strings over HTTP; both forms map to the same state key.
export const PendingParamsSchema = Type.Object(
  { height: Type.Union([Height, Type.String({ pattern: "^[1-9][0-9]{0,15}$" })]) },
  strict,
);

export const SetParamsSchema = Type.Object({}, strict);
