import { addressOf, type CanonicalValue, type KeyPair, type SignedTx, signTx, txHash } from "@weft/core";
import { LmdbTraceReader, TraceIndexer } from "../../src/modules/trace/reader.js";
import { createTestChain, type TestChain } from "./chain.js";

/** A test chain with the trace indexer and reader attached. */
export interface TraceChain {
  chain: TestChain;
  indexer: TraceIndexer;
  reader: LmdbTraceReader;
  /** Signs a trace transaction with the signer's next sequence (several per block are fine). */
  tx(signer: KeyPair, method: string, args: Record<string, CanonicalValue>): SignedTx;
  /** Submits, commits one block, waits for the index; returns each transaction's receipt. */
  commit(...txs: SignedTx[]): Promise<{ status: string; error?: { code: string; message: string } }[]>;
  capture(
    document: string,
    signer?: KeyPair,
  ): Promise<{ status: string; error?: { code: string; message: string } }>;
  anchor(
    eventIds: string[],
    signer?: KeyPair,
  ): Promise<{ status: string; error?: { code: string; message: string } }>;
  /** Closes the indexer and the chain. */
  close(): Promise<void>;
}

export async function createTraceChain(): Promise<TraceChain> {
  const chain = await createTestChain();
  const indexer = new TraceIndexer(chain.store);
  await indexer.start(chain.app);
  const reader = new LmdbTraceReader(indexer);
  const sequences = new Map<string, number>();
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
      await chain.produceBlock();
      await indexer.whenIndexed();
      return txs.map((t) => {
        const receipt = chain.service.getTx(txHash(t))?.receipt;
        if (!receipt) throw new Error("transaction not committed");
        return { status: receipt.status, ...(receipt.error ? { error: receipt.error } : {}) };
      });
    },
    async capture(document, signer = chain.alice) {
      const [r] = await tc.commit(tc.tx(signer, "capture", { document }));
      return r as { status: string };
    },
    async anchor(eventIds, signer = chain.alice) {
      const [r] = await tc.commit(tc.tx(signer, "anchor", { eventIds }));
      return r as { status: string };
    },
    async close() {
      await indexer.close();
      await chain.close();
    },
  };
  return tc;
}
