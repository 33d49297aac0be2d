import { Type } from "@sinclair/typebox";
import { AddressSchema, SignedVoteSchema } from "@weft/core";

const strict = { additionalProperties: false } as const;
const VoteType = Type.Union([Type.Literal("prevote"), Type.Literal("precommit")]);

export const SubmitArgsSchema = Type.Object(
  {
    a: SignedVoteSchema,
    b: SignedVoteSchema,
  },
  {
    ...strict,
    description: "Two votes of one validator for one height, round and type, for different blocks",
  },
);

// Query parameters arrive as strings over HTTP; both forms map to the same state key.
const Height = Type.Union([
  Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
  Type.String({ pattern: "^[1-9][0-9]{0,15}$" }),
]);
const Round = Type.Union([
  Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
  Type.String({ pattern: "^(0|[1-9][0-9]{0,15})$" }),
]);

export const GetParamsSchema = Type.Object(
  { validator: AddressSchema, height: Height, round: Round, type: VoteType },
  strict,
);

export const ListParamsSchema = Type.Object({ validator: AddressSchema }, strict);

/** The module keeps no genesis state; `{}` is accepted so a genesis may name it. */
export const EvidenceGenesisSchema = Type.Object({}, strict);
