import type { KeyPair, SignedTx, TxProofBundle } from "@weft/core";
import type {
  BatchSubmitResult,
  BlockView,
  NodeEvent,
  NodeHealth,
  QueryResult,
  SubmitAccepted,
  TxStatus,
} from "./api-types.js";
import { ApiError, SdkError } from "./errors.js";
import type { EscrowView } from "./escrow.js";
import { openEventStream, resolveWebSocket, type SubscribeOptions, type WebSocketFactory } from "./events.js";
import { createHttp, type Http, type HttpOptions, keyPath, type QueryValue, segment } from "./http.js";
import { createSubmitter, type SendOptions, type Submitter } from "./sender.js";
import type { TxCall } from "./tx-builder.js";
import { DEFAULT_WAIT_MS, pollForCommit } from "./wait.js";

export interface ClientOptions extends HttpOptions {
  /** For `subscribe` where there is no global WebSocket (Node < 22), e.g. the `ws` package's class. */
  WebSocket?: WebSocketFactory;
}

export interface SubmitOptions {
  /** Have the node answer once committed (per transaction for a batch). */
  wait?: boolean;
  /** How long to wait; default 30 s. A timeout returns the still-pending status. */
  timeoutMs?: number;
}

export interface ReadOptions {
  /** Attach a StateProofBundle that `verifyProof` checks offline against the genesis. */
  prove?: boolean;
}

export interface StateOptions extends ReadOptions {
  /** Read an earlier version of the state (not with `prove`: proofs are for the latest height). */
  height?: number;
}

/** A Weft node's HTTP API. Errors: ApiError (the node said no), SdkError (SDK_NETWORK, ...). */
export interface WeftClient {
  readonly url: string;
  submit(tx: SignedTx, opts: SubmitOptions & { wait: true }): Promise<TxStatus>;
  submit(tx: SignedTx, opts?: SubmitOptions & { wait?: false }): Promise<SubmitAccepted>;
  submit(tx: SignedTx, opts?: SubmitOptions): Promise<SubmitAccepted | TxStatus>;
  submit(txs: readonly SignedTx[], opts?: SubmitOptions): Promise<BatchSubmitResult[]>;
  /** Polls until committed; after `timeoutMs` returns the pending status. */
  waitForCommit(hash: string, timeoutMs?: number): Promise<TxStatus>;
  getTx(hash: string): Promise<TxStatus>;
  latestBlock(): Promise<BlockView>;
  getBlock(height: number): Promise<BlockView>;
  getState(key: string, opts?: StateOptions): Promise<QueryResult>;
  query(
    module: string,
    name: string,
    params?: Record<string, QueryValue>,
    opts?: ReadOptions,
  ): Promise<QueryResult>;
  balance(asset: string, address: string, opts?: ReadOptions): Promise<QueryResult>;
  asset(id: string): Promise<QueryResult>;
  txProof(hash: string): Promise<TxProofBundle>;
  /**
   * An escrow with a proof of its state, the proof bundle of every record that moved it and the
   * explanation in words (GET /v1/escrows/{id}); check it offline with `verifyEscrowView`.
   */
  escrow(id: string): Promise<EscrowView>;
  /** The sequence the node expects next from `address` (committed transactions only). */
  nextSequence(address: string): Promise<number>;
  /** Also for an unhealthy node (503, same body): check `ok`. */
  health(): Promise<NodeHealth>;
  /** Streams NodeEvents over a WebSocket; returns the function that closes the stream. */
  subscribe(handler: (event: NodeEvent) => void, opts?: SubscribeOptions): () => void;
  /**
   * Builds, signs and submits `call` with the chain id, the signer's next sequence (tracked
   * locally across back-to-back sends) and expiresAt = latest height + `expiresIn`.
   */
  send(signer: KeyPair, call: TxCall, opts: SendOptions & { wait: true }): Promise<TxStatus>;
  send(signer: KeyPair, call: TxCall, opts?: SendOptions & { wait?: false }): Promise<SubmitAccepted>;
  send(signer: KeyPair, call: TxCall, opts?: SendOptions): Promise<SubmitAccepted | TxStatus>;
}

// Leaves room for the response after a server-side wait of `timeoutMs`.
const WAIT_SLACK_MS = 10_000;

export function createClient(opts: ClientOptions): WeftClient {
  return new HttpClient(createHttp(opts), opts.WebSocket);
}

class HttpClient implements WeftClient {
  readonly #http: Http;
  readonly #socket: WebSocketFactory | undefined;
  readonly #submitter: Submitter;

  constructor(http: Http, socket: WebSocketFactory | undefined) {
    this.#http = http;
    this.#socket = socket;
    this.#submitter = createSubmitter({
      chainHead: () => this.#chainHead(),
      nextSequence: (address) => this.nextSequence(address),
      submit: (tx) => this.submit(tx),
      knows: (hash) => this.#knows(hash),
    });
  }

  get url(): string {
    return this.#http.baseUrl;
  }

  submit(tx: SignedTx, opts: SubmitOptions & { wait: true }): Promise<TxStatus>;
  submit(tx: SignedTx, opts?: SubmitOptions & { wait?: false }): Promise<SubmitAccepted>;
  submit(tx: SignedTx, opts?: SubmitOptions): Promise<SubmitAccepted | TxStatus>;
  submit(txs: readonly SignedTx[], opts?: SubmitOptions): Promise<BatchSubmitResult[]>;
  async submit(
    input: SignedTx | readonly SignedTx[],
    opts: SubmitOptions = {},
  ): Promise<SubmitAccepted | TxStatus | BatchSubmitResult[]> {
    const timeoutMs = opts.timeoutMs ?? DEFAULT_WAIT_MS;
    const wait = opts.wait ? { query: { wait: true, timeoutMs }, timeoutMs: timeoutMs + WAIT_SLACK_MS } : {};
    if (isBatch(input)) {
      const { results } = await this.#http.request<{ results: BatchSubmitResult[] }>("POST", "/v1/txs", {
        body: { txs: input },
        ...wait,
      });
      return results;
    }
    return this.#http.request<SubmitAccepted | TxStatus>("POST", "/v1/txs", { body: input, ...wait });
  }

  waitForCommit(hash: string, timeoutMs = DEFAULT_WAIT_MS): Promise<TxStatus> {
    return pollForCommit((h) => this.getTx(h), hash, timeoutMs);
  }

  getTx(hash: string): Promise<TxStatus> {
    return this.#http.request("GET", `/v1/txs/${segment(hash)}`);
  }

  latestBlock(): Promise<BlockView> {
    return this.#http.request("GET", "/v1/blocks/latest");
  }

  async getBlock(height: number): Promise<BlockView> {
    if (!Number.isSafeInteger(height) || height < 1) {
      throw new SdkError({
        code: "SDK_INVALID_ARGUMENT",
        message: `block height must be a positive integer: ${height}`,
      });
    }
    return this.#http.request("GET", `/v1/blocks/${height}`);
  }

  async getState(key: string, opts: StateOptions = {}): Promise<QueryResult> {
    if (opts.prove && opts.height !== undefined) {
      throw new SdkError({
        code: "SDK_INVALID_ARGUMENT",
        message: "proofs are for the latest height: omit height",
      });
    }
    return this.#http.request("GET", `/v1/state/${keyPath(key)}`, {
      query: proveQuery(opts, { height: opts.height }),
    });
  }

  query(
    module: string,
    name: string,
    params: Record<string, QueryValue> = {},
    opts: ReadOptions = {},
  ): Promise<QueryResult> {
    return this.#http.request("GET", `/v1/query/${segment(module)}/${segment(name)}`, {
      query: proveQuery(opts, params),
    });
  }

  balance(asset: string, address: string, opts: ReadOptions = {}): Promise<QueryResult> {
    return this.#http.request("GET", `/v1/token/balances/${segment(asset)}/${segment(address)}`, {
      query: proveQuery(opts),
    });
  }

  asset(id: string): Promise<QueryResult> {
    return this.#http.request("GET", `/v1/token/assets/${segment(id)}`);
  }

  txProof(hash: string): Promise<TxProofBundle> {
    return this.#http.request("GET", `/v1/proofs/tx/${segment(hash)}`);
  }

  escrow(id: string): Promise<EscrowView> {
    return this.#http.request("GET", `/v1/escrows/${segment(id)}`);
  }

  async nextSequence(address: string): Promise<number> {
    const { value } = await this.getState(`auth/sequence/${address}`);
    if (value === null) return 0;
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
      throw new SdkError({
        code: "SDK_BAD_RESPONSE",
        message: `sequence of ${address} is not a count`,
        value,
      });
    }
    return value;
  }

  /** Resolves for an unhealthy node too (it answers 503 with the same body): check `ok`. */
  health(): Promise<NodeHealth> {
    return this.#http.request("GET", "/healthz", { acceptStatus: [503] });
  }

  subscribe(handler: (event: NodeEvent) => void, opts: SubscribeOptions = {}): () => void {
    return openEventStream(this.#http.baseUrl, resolveWebSocket(this.#socket), handler, opts);
  }

  send(signer: KeyPair, call: TxCall, opts: SendOptions & { wait: true }): Promise<TxStatus>;
  send(signer: KeyPair, call: TxCall, opts?: SendOptions & { wait?: false }): Promise<SubmitAccepted>;
  send(signer: KeyPair, call: TxCall, opts?: SendOptions): Promise<SubmitAccepted | TxStatus>;
  async send(signer: KeyPair, call: TxCall, opts: SendOptions = {}): Promise<SubmitAccepted | TxStatus> {
    // Submit without the node's wait so the per-signer queue is not held for a whole block.
    const accepted = await this.#submitter(signer, call, opts);
    return opts.wait ? this.waitForCommit(accepted.hash, opts.timeoutMs) : accepted;
  }

  async #knows(hash: string): Promise<boolean> {
    try {
      await this.getTx(hash);
      return true;
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) return false;
      throw e;
    }
  }

  /** Chain id and height for a new transaction; before block 1 only /healthz knows them. */
  async #chainHead(): Promise<{ chainId: string; height: number }> {
    try {
      const { header } = (await this.latestBlock()).block;
      return { chainId: header.chainId, height: header.height };
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 404)) throw e;
      const health = await this.health();
      return { chainId: health.chainId, height: health.height };
    }
  }
}

function isBatch(input: SignedTx | readonly SignedTx[]): input is readonly SignedTx[] {
  return Array.isArray(input);
}

function proveQuery(opts: ReadOptions, extra: Record<string, QueryValue> = {}): Record<string, QueryValue> {
  return { ...extra, prove: opts.prove ? true : undefined };
}
