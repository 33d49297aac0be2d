import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import { join } from "node:path";
import { type Static, Type } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import {
  AddressSchema,
  addressOf,
  ChainIdSchema,
  canonicalString,
  HexString,
  type KeyPair,
  type ProposalBody,
  proposalSignBytes,
  type SignedProposal,
  type SignedVote,
  signBytes,
  type VoteBody,
  verifyBytes,
  voteSignBytes,
  WeftError,
} from "@weft/core";

export type PrivValErrorCode =
  | "PRIVVAL_REGRESSION"
  | "PRIVVAL_CONFLICT"
  | "PRIVVAL_INVALID_BODY"
  | "PRIVVAL_CORRUPT_STATE";
export class PrivValError extends WeftError<{
  code: PrivValErrorCode;
  message: string;
  [field: string]: unknown;
}> {}

/** Order of a validator's messages within one (height, round). */
export const SIGN_STEP = { proposal: 1, prevote: 2, precommit: 3 } as const;
export type SignStep = (typeof SIGN_STEP)[keyof typeof SIGN_STEP];

export const PRIV_VALIDATOR_STATE_FILE = "priv-validator-state.json";

const Round = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
const VoteBodySchema = Type.Object(
  {
    type: Type.Union([Type.Literal("prevote"), Type.Literal("precommit")]),
    chainId: ChainIdSchema,
    height: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
    round: Round,
    blockHash: Type.Union([HexString(32), Type.Null()]),
    timestamp: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
  },
  { additionalProperties: false },
);
const ProposalBodySchema = Type.Object(
  {
    type: Type.Literal("proposal"),
    chainId: ChainIdSchema,
    height: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
    round: Round,
    blockHash: HexString(32),
    validRound: Type.Integer({ minimum: -1, maximum: Number.MAX_SAFE_INTEGER }),
  },
  { additionalProperties: false },
);
/** The last message signed: its height/round/step, body and signature. Absent file: nothing signed yet. */
const LastSignStateSchema = Type.Object(
  {
    height: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
    round: Round,
    step: Type.Union([Type.Literal(1), Type.Literal(2), Type.Literal(3)]),
    validator: AddressSchema,
    body: Type.Union([VoteBodySchema, ProposalBodySchema]),
    signature: HexString(64),
  },
  { additionalProperties: false },
);
export type LastSignState = Static<typeof LastSignStateSchema>;

type Body = VoteBody | ProposalBody;

/**
 * Signs consensus messages for one validator key and never signs two different messages for the
 * same (height, round, step), nor anything below the last one, across restarts: the state is on
 * disk before a signature leaves this class (CometBFT's FilePV "last sign state").
 */
export class PrivValidator {
  readonly address: string;
  private last: LastSignState | undefined;
  private readonly path: string;

  constructor(
    private readonly key: KeyPair,
    private readonly dir: string,
  ) {
    this.address = addressOf(key);
    this.path = join(dir, PRIV_VALIDATOR_STATE_FILE);
    mkdirSync(dir, { recursive: true });
    this.last = this.load();
  }

  /** The last signed message's state, or undefined if this key has signed nothing here. */
  lastSignState(): LastSignState | undefined {
    return this.last;
  }

  signVote(body: VoteBody): SignedVote {
    const vote: VoteBody = {
      type: body.type,
      chainId: body.chainId,
      height: body.height,
      round: body.round,
      blockHash: body.blockHash,
      timestamp: body.timestamp,
    };
    const { body: signed, signature } = this.sign(vote, VoteBodySchema);
    return { ...(signed as VoteBody), validator: this.address, signature };
  }

  signProposal(body: ProposalBody): SignedProposal {
    const proposal: ProposalBody = {
      type: "proposal",
      chainId: body.chainId,
      height: body.height,
      round: body.round,
      blockHash: body.blockHash,
      validRound: body.validRound,
    };
    const { body: signed, signature } = this.sign(proposal, ProposalBodySchema);
    return { ...(signed as ProposalBody), proposer: this.address, signature };
  }

  private sign(body: Body, schema: typeof VoteBodySchema | typeof ProposalBodySchema): LastSignState {
    const kind = body.type;
    if (!Value.Check(schema, body)) {
      const first = Value.Errors(schema, body).First();
      throw new PrivValError({
        code: "PRIVVAL_INVALID_BODY",
        message: `cannot sign ${kind}: ${first ? `${first.path || "/"} ${first.message}` : "invalid"}`,
      });
    }
    const step = SIGN_STEP[body.type];
    const last = this.last;
    if (last) {
      const order = compareHrs([body.height, body.round, step], [last.height, last.round, last.step]);
      if (order < 0) {
        throw new PrivValError({
          code: "PRIVVAL_REGRESSION",
          message: `refusing to sign ${body.type} at ${hrs(body.height, body.round, step)}: already signed at ${hrs(last.height, last.round, last.step)}`,
          height: body.height,
          round: body.round,
          step,
          lastHeight: last.height,
          lastRound: last.round,
          lastStep: last.step,
        });
      }
      // A restarted node replaying its WAL asks again: give back what was signed then.
      if (order === 0) {
        if (sameMessage(last.body, body)) return last;
        throw new PrivValError({
          code: "PRIVVAL_CONFLICT",
          message: `refusing to sign ${body.type} at ${hrs(body.height, body.round, step)} for block ${body.blockHash ?? "nil"}: already signed it for block ${last.body.blockHash ?? "nil"}`,
          height: body.height,
          round: body.round,
          step,
          blockHash: body.blockHash,
          signedBlockHash: last.body.blockHash,
        });
      }
    }
    const signature = signBytes(this.key, signBytesOf(body));
    const next: LastSignState = {
      height: body.height,
      round: body.round,
      step,
      validator: this.address,
      body,
      signature,
    };
    this.persist(next);
    this.last = next;
    return next;
  }

  private load(): LastSignState | undefined {
    let text: string;
    try {
      text = readFileSync(this.path, "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw e;
    }
    const corrupt = (reason: string) =>
      new PrivValError({
        code: "PRIVVAL_CORRUPT_STATE",
        message: `${this.path}: ${reason}; refusing to sign until it is repaired`,
        path: this.path,
      });
    let state: unknown;
    try {
      state = JSON.parse(text);
    } catch {
      throw corrupt("not JSON");
    }
    if (!Value.Check(LastSignStateSchema, state)) {
      const first = Value.Errors(LastSignStateSchema, state).First();
      throw corrupt(`not a sign state (${first ? `${first.path || "/"} ${first.message}` : "invalid"})`);
    }
    const { body } = state;
    if (body.height !== state.height || body.round !== state.round || SIGN_STEP[body.type] !== state.step)
      throw corrupt("height/round/step do not match the signed message");
    if (state.validator !== this.address)
      throw corrupt(`it belongs to validator ${state.validator}, not ${this.address}`);
    if (!verifyBytes(this.key, signBytesOf(body), state.signature))
      throw corrupt("its signature does not verify with this key");
    return state;
  }

  /** Temp file, fsync, rename, fsync the folder: the file is always the old state or the new one. */
  private persist(state: LastSignState): void {
    const temp = `${this.path}.tmp`;
    const fd = openSync(temp, "w");
    try {
      const bytes = Buffer.from(`${JSON.stringify(state, null, 2)}\n`, "utf8");
      let offset = 0;
      while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, this.path);
    const dirFd = openSync(this.dir, "r");
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
  }
}

function signBytesOf(body: Body): Uint8Array {
  return body.type === "proposal" ? proposalSignBytes(body) : voteSignBytes(body);
}

/** Same message: identical, or for votes identical but for the timestamp. */
function sameMessage(signed: Body, asked: Body): boolean {
  if (signed.type !== "proposal" && asked.type !== "proposal")
    return canonicalString({ ...signed, timestamp: 0 }) === canonicalString({ ...asked, timestamp: 0 });
  return canonicalString(signed) === canonicalString(asked);
}

function compareHrs(a: [number, number, number], b: [number, number, number]): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

function hrs(height: number, round: number, step: number): string {
  return `height ${height} round ${round} step ${step}`;
}
