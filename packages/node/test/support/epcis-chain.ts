import {
  addressOf,
  type CanonicalValue,
  decodeTx,
  type KeyPair,
  type SignedTx,
  signTx,
  txHash,
} from "@weft/core";
import type { FastifyInstance } from "fastify";
import type { EpcisDeps } from "../../src/api/epcis/context.js";
import { createApiServer } from "../../src/api/server.js";
import { createMetrics } from "../../src/metrics/metrics.js";
import { LmdbTraceReader, TraceIndexer } from "../../src/modules/trace/reader.js";
import { createTestChain, type TestChain } from "./chain.js";

export interface Outcome {
  /** "ok" / "failed" (receipt), or "refused" at admission. */
  status: string;
  error?: { code: string; message: string };
}

/** A test chain with the trace indexer and reader attached. */
export interface TraceChain {
  chain: TestChain;
  indexer: TraceIndexer;
  reader: LmdbTraceReader;
  /** Signs a trace transaction with the signer's next sequence (several per block are fine). */
  tx(signer: KeyPair, method: string, args: Record<string, CanonicalValue>): SignedTx;
  /** Submits, commits one block, waits for the index; returns each transaction's receipt. */
  commit(...txs: SignedTx[]): Promise<Outcome[]>;
  /**
   * Puts transactions into the mempool without admission checks (as a faulty proposer might include
   * them), commits one block and returns the receipts: execution must refuse on its own.
   */
  force(...txs: SignedTx[]): Promise<Outcome[]>;
  /** `status: "refused"` when admission refused it (nothing committed), else the receipt. */
  capture(document: string, signer?: KeyPair): Promise<Outcome>;
  anchor(eventIds: string[], signer?: KeyPair): Promise<Outcome>;
  /** Closes the indexer and the chain. */
  close(): Promise<void>;
}

export async function createTraceChain(): Promise<TraceChain> {
  const chain = await createTestChain();
  const indexer = new TraceIndexer(chain.store);
  await indexer.start(chain.app);
  const reader = new LmdbTraceReader(indexer);
  const sequences = new Map<string, number>();
  const committed = async (txs: SignedTx[]): Promise<Outcome[]> => {
    await chain.produceBlock();
    await indexer.whenIndexed();
    return txs.map((t) => {
      const receipt = chain.service.getTx(txHash(t))?.receipt;
      if (!receipt) throw new Error("transaction not committed");
      return { status: receipt.status, ...(receipt.error ? { error: receipt.error } : {}) };
    });
  };
  /** Submits one transaction: refused at admission, or committed in its own block. */
  const one = async (tx: SignedTx): Promise<Outcome> => {
    const [o] = await chain.submit(tx);
    if (o && !o.accepted) {
      // Its sequence was not used.
      sequences.set(addressOf(tx.body.signer), tx.body.sequence);
      return { status: "refused", error: { code: o.error.code, message: o.error.message } };
    }
    return (await committed([tx]))[0] as Outcome;
  };
  const tc: TraceChain = {
    chain,
    indexer,
    reader,
    tx(signer, method, args) {
      const address = addressOf(signer);
      const sequence = sequences.get(address) ?? chain.app.nextSequence(address);
      sequences.set(address, sequence + 1);
      return signTx(
        {
          chainId: chain.genesis.chainId,
          signer: { alg: signer.alg, publicKey: signer.publicKey },
          sequence,
          expiresAt: 1_000_000,
          module: "trace",
          method,
          args,
        },
        signer,
      );
    },
    async commit(...txs) {
      const outcomes = await chain.submit(...txs);
      for (const o of outcomes) if (!o.accepted) throw new Error(`not admitted: ${JSON.stringify(o.error)}`);
      return committed(txs);
    },
    async force(...txs) {
      const maxTxBytes = chain.genesis.params.maxTxBytes;
      for (const t of txs) {
        chain.app.mempool.insert(decodeTx(t, maxTxBytes), {
          chainId: chain.genesis.chainId,
          height: chain.app.lastCommitted().height,
          maxTxBytes,
          nextSequence: chain.app.nextSequence,
          isCommitted: () => false,
          checkCall: () => {},
        });
      }
      return committed(txs);
    },
    capture(document, signer = chain.alice) {
      return one(tc.tx(signer, "capture", { document }));
    },
    anchor(eventIds, signer = chain.alice) {
      return one(tc.tx(signer, "anchor", { eventIds }));
    },
    async close() {
      await indexer.close();
      await chain.close();
    },
  };
  return tc;
}

/** The node API over a trace chain with the EPCIS layer on (not yet ready; the caller closes it). */
export function createEpcisApi(tc: TraceChain, epcis: Partial<EpcisDeps> = {}): Promise<FastifyInstance> {
  return createApiServer(
    tc.chain.service,
    {},
    {
      metrics: createMetrics({ defaultMetrics: false }),
      epcis: {
        trace: tc.reader,
        captureKey: tc.chain.validator,
        openRepository: (name) => tc.chain.store.openRepository(name),
        ...epcis,
      },
    },
  );
}
