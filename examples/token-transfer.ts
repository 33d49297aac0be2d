/**
 * Sends tokens with @weft/sdk and checks the result, with proofs, against a running node.
 *
 *   npx tsx examples/token-transfer.ts <key-file> [to-address] [amount] [asset]
 *
 * Defaults: a fresh random recipient, 100 units of WEFT (what `npm start` gives alice and bob,
 * e.g. .weft-dev/keys/alice.json). Set WEFT_URL for a node other than http://127.0.0.1:8080,
 * and WEFT_GENESIS to a genesis.json to also verify the transaction proof offline.
 */
import { readFile } from "node:fs/promises";
import { addressOf, createClient, generateKeyPair, isWeftError, tokenCall, verifyProofJson } from "@weft/sdk";
import { loadKeyFile } from "@weft/sdk/keyfile";

async function main(): Promise<void> {
  const [keyPath, to = addressOf(generateKeyPair()), amount = "100", asset = "WEFT"] = process.argv.slice(2);
  if (!keyPath) {
    console.error("usage: token-transfer <key-file> [to-address] [amount] [asset]");
    process.exitCode = 2;
    return;
  }
  const client = createClient({ url: process.env.WEFT_URL ?? "http://127.0.0.1:8080" });
  const signer = await loadKeyFile(keyPath);

  const before = await client.balance(asset, signer.address);
  console.log(`${signer.address} holds ${before.value} ${asset} (height ${before.height})`);

  // send() fills in chain id, sequence and expiry; wait returns once the block is committed.
  const status = await client.send(signer, tokenCall.transfer({ asset, to, amount }), { wait: true });
  if (status.status !== "committed") throw new Error(`${status.hash} is still pending; try again later`);
  if (status.receipt?.status === "failed") {
    throw new Error(`transfer failed: ${status.receipt.error?.code} ${status.receipt.error?.message}`);
  }
  console.log(`sent ${amount} ${asset} to ${to} in tx ${status.hash} (height ${status.height})`);

  // A proved read: the bundle lets anyone holding the genesis file check this balance offline.
  const after = await client.balance(asset, to, { prove: true });
  console.log(`${to} now holds ${after.value} ${asset} (proof of ${after.key} at height ${after.height})`);

  if (process.env.WEFT_GENESIS) {
    const genesis = await readFile(process.env.WEFT_GENESIS, "utf8");
    const proof = await client.txProof(status.hash);
    const verified = verifyProofJson(JSON.stringify(proof), genesis);
    console.log(`tx proof verified offline: block ${verified.height} ${verified.blockHash}`);
    if (after.proof) verifyProofJson(JSON.stringify(after.proof), genesis);
    console.log("balance proof verified offline");
  }
}

main().catch((e: unknown) => {
  // WeftErrors carry a stable code (ApiError: the node's problem code; SdkError: SDK_NETWORK, ...).
  console.error(isWeftError(e) ? `${e.code}: ${e.message}` : e);
  process.exitCode = 1;
});
