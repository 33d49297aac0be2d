import { Type } from "@sinclair/typebox";
import { BlockHeaderSchema, CommitCertificateSchema, ValidatorSchema } from "../block/schema.js";
import { ChainIdSchema, HexString, SignedTxSchema } from "../tx/schema.js";

const Index = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
const Path = Type.Array(HexString(32), { maxItems: 64 });
const Attributes = Type.Record(Type.String(), Type.Unknown());

export const TxReceiptSchema = Type.Object(
  {
    kind: Type.Literal("receipt"),
    chainId: ChainIdSchema,
    height: Index,
    index: Index,
    txHash: HexString(32),
    status: Type.Union([Type.Literal("ok"), Type.Literal("failed")]),
    error: Type.Optional(
      Type.Object({ code: Type.String(), message: Type.String() }, { additionalProperties: false }),
    ),
    eventCount: Index,
  },
  { additionalProperties: false },
);

export const ChainEventSchema = Type.Object(
  {
    kind: Type.Literal("event"),
    chainId: ChainIdSchema,
    height: Index,
    txIndex: Type.Union([Index, Type.Null()]),
    index: Index,
    module: Type.String(),
    type: Type.String(),
    attributes: Attributes,
  },
  { additionalProperties: false },
);

const StatePathSchema = Type.Object(
  {
    siblings: Type.Array(HexString(32), { maxItems: 256 }),
    leaf: Type.Optional(
      Type.Object({ keyHash: HexString(32), valueHash: HexString(32) }, { additionalProperties: false }),
    ),
  },
  { additionalProperties: false },
);

export const ValidatorSetChangeSchema = Type.Object(
  {
    header: BlockHeaderSchema,
    commit: CommitCertificateSchema,
    set: Type.Array(ValidatorSchema, { minItems: 1, maxItems: 1000 }),
    proof: StatePathSchema,
  },
  { additionalProperties: false },
);

const Changes = Type.Optional(Type.Array(ValidatorSetChangeSchema, { maxItems: 10_000 }));

const logged = <T extends ReturnType<typeof Type.Object>>(entry: T) =>
  Type.Object({ entry, logIndex: Index, path: Path }, { additionalProperties: false });

export const TxProofBundleSchema = Type.Object(
  {
    kind: Type.Literal("weft.proof.tx/v1"),
    chainId: ChainIdSchema,
    genesisHash: HexString(32),
    tx: SignedTxSchema,
    receipt: logged(TxReceiptSchema),
    events: Type.Array(logged(ChainEventSchema), { maxItems: 10_000 }),
    header: BlockHeaderSchema,
    commit: CommitCertificateSchema,
    validatorSetChanges: Changes,
  },
  { additionalProperties: false, $id: "TxProofBundle" },
);

export const StateProofBundleSchema = Type.Object(
  {
    kind: Type.Literal("weft.proof.state/v1"),
    chainId: ChainIdSchema,
    genesisHash: HexString(32),
    key: Type.String({ maxLength: 1024 }),
    value: Type.Unknown(),
    proof: StatePathSchema,
    header: BlockHeaderSchema,
    commit: CommitCertificateSchema,
    validatorSetChanges: Changes,
  },
  { additionalProperties: false, $id: "StateProofBundle" },
);

export const ProofBundleSchema = Type.Union([TxProofBundleSchema, StateProofBundleSchema]);
