import { type Static, type TSchema, Type } from "@sinclair/typebox";
import {
  BlockHeaderSchema,
  ChainEventSchema,
  CommitCertificateSchema,
  HexString,
  SignedTxSchema,
  StateProofBundleSchema,
  TxProofBundleSchema,
  TxReceiptSchema,
} from "@weft/core";
import type { FastifyInstance } from "fastify";

/**
 * Shared response schemas. Each is registered once under its `$id` and referenced from routes,
 * so serialization, validation and the OpenAPI components all use the same definitions.
 */
const withId = <T extends TSchema>(schema: T, $id: string): T & { $id: string } => ({ ...schema, $id });

/**
 * A reference to a shared schema that keeps its static type for handlers. As a response schema,
 * `description` becomes the response's description in the OpenAPI document.
 */
export function ref<T extends TSchema>(schema: T, description?: string) {
  if (typeof schema.$id !== "string") throw new Error("ref() needs a schema with an $id");
  return Type.Unsafe<Static<T>>({ $ref: `${schema.$id}#`, ...(description ? { description } : {}) });
}

export const TxHash = HexString(32);
const Height = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });
const Index = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
const JsonValue = Type.Unknown({ description: "canonical JSON value; null when the key is absent" });

export const SignedTx = SignedTxSchema;
export const BlockHeader = BlockHeaderSchema;
export const CommitCertificate = CommitCertificateSchema;
export const TxReceipt = withId(TxReceiptSchema, "TxReceipt");
export const ChainEvent = withId(ChainEventSchema, "ChainEvent");
export const TxProofBundle = TxProofBundleSchema;
export const StateProofBundle = StateProofBundleSchema;

export const Block = Type.Object(
  {
    header: ref(BlockHeader),
    txs: Type.Array(ref(SignedTx)),
    lastCommit: Type.Union([ref(CommitCertificate), Type.Null()]),
  },
  { additionalProperties: false, $id: "Block" },
);

export const BlockView = Type.Object(
  {
    hash: TxHash,
    block: ref(Block),
    commit: Type.Union([ref(CommitCertificate), Type.Null()], {
      description: "the certificate that committed this block; null until one is known",
    }),
  },
  { additionalProperties: false, $id: "BlockView" },
);

export const TxStatus = Type.Object(
  {
    hash: TxHash,
    status: Type.Union([Type.Literal("pending"), Type.Literal("committed")]),
    height: Type.Optional(Height),
    index: Type.Optional(Index),
    tx: ref(SignedTx),
    receipt: Type.Optional(ref(TxReceipt)),
    events: Type.Optional(Type.Array(ref(ChainEvent))),
  },
  { additionalProperties: false, $id: "TxStatus" },
);

export const SubmitAccepted = Type.Object(
  { hash: TxHash, accepted: Type.Literal(true) },
  { additionalProperties: false, $id: "SubmitAccepted" },
);

export const ErrorSummary = Type.Object(
  { code: Type.String(), message: Type.String(), status: Type.Integer() },
  { additionalProperties: true, $id: "ErrorSummary", description: "why a transaction was refused" },
);

export const SubmitBatchResult = Type.Object(
  {
    results: Type.Array(
      Type.Object(
        {
          hash: Type.Optional(TxHash),
          accepted: Type.Boolean(),
          error: Type.Optional(ref(ErrorSummary)),
          status: Type.Optional(ref(TxStatus)),
        },
        { additionalProperties: false },
      ),
      { description: "one result per submitted transaction, in order" },
    ),
  },
  { additionalProperties: false, $id: "SubmitBatchResult" },
);

export const StateValue = Type.Object(
  {
    key: Type.String(),
    value: JsonValue,
    height: Index,
    proof: Type.Optional(ref(StateProofBundle)),
  },
  { additionalProperties: false, $id: "StateValue" },
);

export const NodeHealth = Type.Object(
  {
    ok: Type.Boolean(),
    chainId: Type.String(),
    height: Index,
    mempoolSize: Index,
    lastBlockAgeMs: Type.Union([Index, Type.Null()]),
    consensus: Type.Optional(
      Type.Object(
        {
          engine: Type.Union([Type.Literal("solo"), Type.Literal("tendermint")]),
          height: Index,
          round: Index,
          step: Type.Union([Type.Literal("propose"), Type.Literal("prevote"), Type.Literal("precommit")]),
          peers: Type.Array(
            Type.Object(
              { id: Type.String(), connected: Type.Boolean(), height: Type.Union([Index, Type.Null()]) },
              { additionalProperties: false },
            ),
          ),
        },
        { additionalProperties: false, description: "BFT nodes: the height being decided and the peers" },
      ),
    ),
  },
  { additionalProperties: false, $id: "NodeHealth" },
);

// Documents the WebSocket messages; no HTTP route returns it.
export const NodeEvent = Type.Union(
  [
    Type.Object(
      { type: Type.Literal("block"), header: ref(BlockHeader), hash: TxHash },
      { additionalProperties: false },
    ),
    Type.Object(
      {
        type: Type.Literal("tx"),
        hash: TxHash,
        height: Height,
        index: Index,
        status: Type.Union([Type.Literal("ok"), Type.Literal("failed")]),
        error: Type.Optional(Type.Object({ code: Type.String(), message: Type.String() })),
      },
      { additionalProperties: false },
    ),
    Type.Object({ type: Type.Literal("event"), event: ref(ChainEvent) }, { additionalProperties: false }),
  ],
  { $id: "NodeEvent" },
);

export const Problem = Type.Object(
  {
    type: Type.String({ description: "urn:weft:problem:<code>" }),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    code: Type.String({ description: "stable machine-readable error code" }),
    instance: Type.String(),
  },
  { additionalProperties: true, $id: "Problem", description: "RFC 9457 problem details" },
);

const COMPONENTS: readonly TSchema[] = [
  SignedTx,
  BlockHeader,
  CommitCertificate,
  TxReceipt,
  ChainEvent,
  TxProofBundle,
  StateProofBundle,
  Block,
  BlockView,
  TxStatus,
  SubmitAccepted,
  ErrorSummary,
  SubmitBatchResult,
  StateValue,
  NodeHealth,
  NodeEvent,
  Problem,
];

export function registerSchemas(app: FastifyInstance): void {
  for (const schema of COMPONENTS) app.addSchema(referenceNested(schema));
}

/**
 * Core schemas embed the schemas they use (each with its `$id`); registered as they are, one
 * definition would appear under several names. Nested identified schemas become references.
 */
function referenceNested(schema: TSchema): Record<string, unknown> {
  const walk = (node: unknown, root: boolean): unknown => {
    if (Array.isArray(node)) return node.map((item) => walk(item, false));
    if (node === null || typeof node !== "object") return node;
    const object = node as Record<string, unknown>;
    if (!root && typeof object.$id === "string") return { $ref: `${object.$id}#` };
    return Object.fromEntries(Object.entries(object).map(([key, value]) => [key, walk(value, false)]));
  };
  return walk(schema, true) as Record<string, unknown>;
}

const problemResponse = (status: number) => ({
  description: `problem details (status ${status})`,
  content: { "application/problem+json": { schema: ref(Problem) } },
});

/** Documented error responses: every error body is application/problem+json. */
export function problems(...statuses: number[]): Record<number, ReturnType<typeof problemResponse>> {
  return Object.fromEntries(statuses.map((status) => [status, problemResponse(status)]));
}
