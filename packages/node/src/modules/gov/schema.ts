import { Type } from "@sinclair/typebox";
import { IdentifierSchema } from "@weft/core";

const strict = { additionalProperties: false } as const;

export const MAX_ACTIONS = 16;
export const DAY_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_DEADLINE_MS = 7 * DAY_MS;
export const MAX_DEADLINE_MS = 30 * DAY_MS;

/** One module method a decided proposal runs; its arguments are checked when it runs. */
export const CallSchema = Type.Object(
  {
    module: IdentifierSchema,
    method: IdentifierSchema,
    args: Type.Record(Type.String(), Type.Unknown()),
  },
  strict,
);

// Counts and durations are checked by the module (GOV_BAD_ACTION, GOV_BAD_DEADLINE) so a
// client learns which rule it broke; the schema only bounds the size of what is stored.
export const ProposeArgsSchema = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 200 }),
    actions: Type.Array(CallSchema, { maxItems: 64 }),
    deadlineMs: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER })),
  },
  {
    ...strict,
    description: "Propose actions that run once the votes of their approvers satisfy their policies",
  },
);

export const VoteArgsSchema = Type.Object(
  {
    id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
    approve: Type.Boolean(),
  },
  strict,
);

const PositiveInt = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });

/** Chain parameters governance may change; bounds are checked by `checkParams`. */
export const ChainParamsOnChainSchema = Type.Object(
  {
    maxBlockBytes: PositiveInt,
    maxBlockTxs: PositiveInt,
    maxTxBytes: PositiveInt,
    timeoutProposeMs: Type.Optional(PositiveInt),
    timeoutVoteMs: Type.Optional(PositiveInt),
    timeoutDeltaMs: Type.Optional(PositiveInt),
  },
  strict,
);

export const SetParamsArgsSchema = Type.Object({ params: ChainParamsOnChainSchema }, strict);

// Query parameters arrive as strings over HTTP; both forms map to the same state key.
export const ProposalParamsSchema = Type.Object(
  {
    id: Type.Union([
      Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
      Type.String({ pattern: "^[1-9][0-9]{0,9}$" }),
    ]),
  },
  strict,
);

export const EmptyParamsSchema = Type.Object({}, strict);

/** The module keeps no genesis state; `{}` is accepted so a genesis may name it. */
export const GovGenesisSchema = Type.Object({}, strict);
