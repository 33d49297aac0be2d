import { Type } from "@sinclair/typebox";
import { AddressSchema, ChainIdSchema, HexString, PublicKeyInfoSchema } from "../tx/schema.js";

const Height = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });
const Count = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });

export const BlockHeaderSchema = Type.Object(
  {
    version: Type.Literal(1),
    chainId: ChainIdSchema,
    height: Height,
    time: Count,
    previousBlockHash: HexString(32),
    lastCommitHash: HexString(32),
    proposer: AddressSchema,
    validatorSetHash: HexString(32),
    txRoot: HexString(32),
    txCount: Count,
    stateRoot: HexString(32),
    logRoot: HexString(32),
    logSize: Count,
  },
  { additionalProperties: false, $id: "BlockHeader" },
);

export const CommitCertificateSchema = Type.Object(
  {
    chainId: ChainIdSchema,
    height: Height,
    round: Count,
    blockHash: HexString(32),
    signatures: Type.Array(
      Type.Object(
        { validator: AddressSchema, timestamp: Count, signature: HexString(64) },
        { additionalProperties: false },
      ),
      { maxItems: 1000 },
    ),
  },
  { additionalProperties: false, $id: "CommitCertificate" },
);

export const ValidatorSchema = Type.Object(
  {
    address: AddressSchema,
    publicKey: PublicKeyInfoSchema,
    power: Type.Integer({ minimum: 1, maximum: 1_000_000_000 }),
    name: Type.String({ maxLength: 128 }),
  },
  { additionalProperties: false },
);

export const ChainParamsSchema = Type.Object(
  {
    maxBlockBytes: Type.Integer({ minimum: 1024, maximum: 256 * 1024 * 1024 }),
    maxBlockTxs: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
    maxTxBytes: Type.Integer({ minimum: 256, maximum: 16 * 1024 * 1024 }),
  },
  { additionalProperties: false },
);

export const GenesisSchema = Type.Object(
  {
    chainId: ChainIdSchema,
    genesisTime: Count,
    validators: Type.Array(ValidatorSchema, { minItems: 1, maxItems: 1000 }),
    params: ChainParamsSchema,
    appState: Type.Record(Type.String(), Type.Unknown()),
  },
  { additionalProperties: false, $id: "Genesis" },
);

export const SignedVoteSchema = Type.Object(
  {
    type: Type.Union([Type.Literal("prevote"), Type.Literal("precommit")]),
    chainId: ChainIdSchema,
    height: Height,
    round: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
    blockHash: Type.Union([HexString(32), Type.Null()]),
    timestamp: Count,
    validator: AddressSchema,
    signature: HexString(64),
  },
  { additionalProperties: false, $id: "SignedVote" },
);

export const SignedProposalSchema = Type.Object(
  {
    type: Type.Literal("proposal"),
    chainId: ChainIdSchema,
    height: Height,
    round: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
    blockHash: HexString(32),
    validRound: Type.Integer({ minimum: -1, maximum: 1_000_000 }),
    proposer: AddressSchema,
    signature: HexString(64),
  },
  { additionalProperties: false, $id: "SignedProposal" },
);

/** A block as carried between nodes; transactions are decoded and checked one by one afterwards. */
export const BlockSchema = Type.Object(
  {
    header: BlockHeaderSchema,
    txs: Type.Array(Type.Unknown(), { maxItems: 1_000_000 }),
    lastCommit: Type.Union([CommitCertificateSchema, Type.Null()]),
  },
  { additionalProperties: false, $id: "Block" },
);
