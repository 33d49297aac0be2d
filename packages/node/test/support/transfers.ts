import { type KeyPair, type SignedTx, signTx } from "@weft/core";

/**
 * Signed `token.transfer`s of `asset` from every sender, sequences 0..perSender-1, interleaved by
 * sequence so any prefix carries each sender's next transactions in order.
 */
export function signedTransfers(params: {
  chainId: string;
  asset: string;
  senders: readonly KeyPair[];
  perSender: number;
  recipients: readonly string[];
  amount: (sequence: number) => string;
}): SignedTx[] {
  const { chainId, asset, senders, perSender, recipients, amount } = params;
  const txs: SignedTx[] = [];
  for (let sequence = 0; sequence < perSender; sequence++) {
    for (const key of senders) {
      const to = recipients[txs.length % recipients.length] as string;
      txs.push(
        signTx(
          {
            chainId,
            signer: { alg: key.alg, publicKey: key.publicKey },
            sequence,
            expiresAt: 1_000_000,
            module: "token",
            method: "transfer",
            args: { asset, to, amount: amount(sequence) },
          },
          key,
        ),
      );
    }
  }
  return txs;
}
