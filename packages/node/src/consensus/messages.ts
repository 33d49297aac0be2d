import { type Static, Type } from "@sinclair/typebox";
import { TypeCompiler } from "@sinclair/typebox/compiler";
import {
  type Block,
  BlockSchema,
  type CommitCertificate,
  CommitCertificateSchema,
  type SignedProposal,
  SignedProposalSchema,
  type SignedVote,
  SignedVoteSchema,
} from "@weft/core";

/**
 * What nodes say to each other, per channel. Shapes are checked here, before anything else
 * looks at a message; signatures and meaning are checked by the reactor that owns the channel.
 */
const Hash = Type.String({ pattern: "^[0-9a-f]{64}$" });

const ConsensusMessageSchema = Type.Union([
  Type.Object(
    { type: Type.Literal("proposal"), proposal: SignedProposalSchema, block: BlockSchema },
    { additionalProperties: false },
  ),
  // The block by reference: peers rebuild it from their mempools (and ask for it when they can't).
  Type.Object(
    {
      type: Type.Literal("compact-proposal"),
      proposal: SignedProposalSchema,
      header: BlockSchema.properties.header,
      lastCommit: BlockSchema.properties.lastCommit,
      txHashes: Type.Array(Hash, { maxItems: 1_000_000 }),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    { type: Type.Literal("get-proposal-block"), height: Type.Integer({ minimum: 1 }), blockHash: Hash },
    { additionalProperties: false },
  ),
  Type.Object({ type: Type.Literal("vote"), vote: SignedVoteSchema }, { additionalProperties: false }),
]);

const Height = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
export const MAX_SYNC_BATCH = 64;

const SyncMessageSchema = Type.Union([
  Type.Object({ type: Type.Literal("status"), height: Height }, { additionalProperties: false }),
  Type.Object(
    {
      type: Type.Literal("get-blocks"),
      from: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
      count: Type.Integer({ minimum: 1, maximum: MAX_SYNC_BATCH }),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      type: Type.Literal("blocks"),
      items: Type.Array(
        Type.Object({ block: BlockSchema, commit: CommitCertificateSchema }, { additionalProperties: false }),
        { maxItems: MAX_SYNC_BATCH },
      ),
    },
    { additionalProperties: false },
  ),
]);

const MempoolMessageSchema = Type.Object(
  { type: Type.Literal("txs"), txs: Type.Array(Type.Unknown(), { minItems: 1, maxItems: 10_000 }) },
  { additionalProperties: false },
);

export type ProposalMessage = { type: "proposal"; proposal: SignedProposal; block: Block };
export type VoteMessage = { type: "vote"; vote: SignedVote };
export type CompactProposalMessage = {
  type: "compact-proposal";
  proposal: SignedProposal;
  header: Block["header"];
  lastCommit: Block["lastCommit"];
  txHashes: string[];
};
export type GetProposalBlockMessage = { type: "get-proposal-block"; height: number; blockHash: string };
export type ConsensusMessage =
  | ProposalMessage
  | CompactProposalMessage
  | GetProposalBlockMessage
  | VoteMessage;
export type SyncMessage =
  | { type: "status"; height: number }
  | { type: "get-blocks"; from: number; count: number }
  | { type: "blocks"; items: { block: Block; commit: CommitCertificate }[] };
export type MempoolMessage = Static<typeof MempoolMessageSchema>;

const consensusCheck = TypeCompiler.Compile(ConsensusMessageSchema);
const syncCheck = TypeCompiler.Compile(SyncMessageSchema);
const mempoolCheck = TypeCompiler.Compile(MempoolMessageSchema);

/** The first schema problem of a message, e.g. "/vote/round: Expected integer", or undefined. */
function problem(
  check: { Check(v: unknown): boolean; Errors(v: unknown): Iterable<{ path: string; message: string }> },
  value: unknown,
): string | undefined {
  if (check.Check(value)) return undefined;
  for (const e of check.Errors(value)) return `${e.path || "/"}: ${e.message}`;
  return "malformed message";
}

export const consensusMessageProblem = (v: unknown) => problem(consensusCheck, v);
export const syncMessageProblem = (v: unknown) => problem(syncCheck, v);
export const mempoolMessageProblem = (v: unknown) => problem(mempoolCheck, v);
