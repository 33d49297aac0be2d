/**
 * A DAP escrow end to end with @weft/sdk against a running network: the buyer funds an order,
 * the buyer's receiving event at its own location releases the payment in that event's block,
 * and the escrow's explanation is checked, with proofs, offline.
 *
 *   npx tsx examples/escrow-dap.ts <buyer-key-file> <seller-address> [amount] [asset]
 *
 * With `npm start` running: `.weft-dev/4orgs/keys/alice.json` as the buyer (a writer of org1,
 * which owns the GS1 company prefix 9520001, so it may record at org1's locations) and bob's
 * address as the seller. Set WEFT_URL for a node other than http://127.0.0.1:8080, and
 * WEFT_GENESIS to the network's genesis.json to verify the explanation's proofs offline.
 */
import { randomInt } from "node:crypto";
import { readFile } from "node:fs/promises";
import {
  createClient,
  deliveryMilestone,
  escrowCall,
  isWeftError,
  parseGenesis,
  type TxCall,
  verifyEscrowView,
} from "@weft/sdk";
import { loadKeyFile } from "@weft/sdk/keyfile";

/** Where the buyer receives: a location of org1 (GS1 company prefix 9520001). */
const BUYER_DOCK = "urn:epc:id:sgln:9520001.00001.0";

/** A capture document with one EPCIS 2.0 `receiving` event of the shipment at the dock. */
function receivingDocument(sscc: string, at: Date): string {
  const time = at.toISOString();
  return JSON.stringify({
    "@context": ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"],
    type: "EPCISDocument",
    schemaVersion: "2.0",
    creationDate: time,
    epcisBody: {
      eventList: [
        {
          type: "ObjectEvent",
          eventTime: time,
          eventTimeZoneOffset: "+00:00",
          epcList: [sscc],
          action: "OBSERVE",
          bizStep: "receiving",
          disposition: "in_progress",
          readPoint: { id: BUYER_DOCK },
          bizLocation: { id: BUYER_DOCK },
        },
      ],
    },
  });
}

async function main(): Promise<void> {
  const [keyPath, seller, amount = "100000", asset = "WEFT"] = process.argv.slice(2);
  if (!keyPath || !seller) {
    console.error("usage: escrow-dap <buyer-key-file> <seller-address> [amount] [asset]");
    process.exitCode = 2;
    return;
  }
  const client = createClient({ url: process.env.WEFT_URL ?? "http://127.0.0.1:8080" });
  const buyer = await loadKeyFile(keyPath);
  const id = `PO-${Date.now()}`;
  // A fresh serial shipping container code under the demo prefix (the check digit is computed).
  const body = `09520001${String(randomInt(1e9)).padStart(9, "0")}`;
  const sscc = `https://id.gs1.org/00/${body}${checkDigit(body)}`;

  // 1. The order: paid when the shipment is received at the buyer's dock, refunded after 14 days.
  const opened = await client.send(
    buyer,
    escrowCall.open({
      id,
      seller,
      asset,
      amount,
      shipment: [sscc],
      incoterm: "DAP",
      milestones: [deliveryMilestone({ deliverTo: BUYER_DOCK })],
      deadline: new Date(Date.now() + 14 * 86_400_000),
    }),
    { wait: true },
  );
  must(opened.receipt, "escrow.open");
  console.log(`escrow ${id} opened at height ${opened.height}: ${amount} ${asset} held for ${seller}`);

  // 2. The delivery: the buyer records the receipt. Nobody sends "release".
  const capture: TxCall = {
    module: "trace",
    method: "capture",
    args: { document: receivingDocument(sscc, new Date()) },
  };
  const received = await client.send(buyer, capture, { wait: true });
  must(received.receipt, "trace.capture");

  // 3. Paid in the receiving event's block, and why.
  const view = await client.escrow(id);
  const milestone = view.escrow.milestones[0];
  console.log(
    `status ${view.escrow.status}; receiving event at height ${received.height}, released at height ${milestone?.closedAt}`,
  );
  for (const line of view.why) console.log(`  ${line}`);
  if (process.env.WEFT_GENESIS) {
    const genesis = parseGenesis(await readFile(process.env.WEFT_GENESIS, "utf8"));
    const verified = verifyEscrowView(view, genesis);
    console.log(
      `proofs verified offline: escrow state at height ${verified.state.height}, ${view.records.length} records`,
    );
  }
}

function must(
  receipt: { status: string; error?: { code: string; message: string } } | undefined,
  what: string,
) {
  if (receipt?.status !== "ok") {
    throw new Error(
      `${what} failed: ${receipt?.error?.code ?? "not committed"} ${receipt?.error?.message ?? ""}`,
    );
  }
}

/** GS1 mod-10 check digit of the digits before it. */
function checkDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++)
    sum += Number(digits[digits.length - 1 - i]) * (i % 2 === 0 ? 3 : 1);
  return (10 - (sum % 10)) % 10;
}

main().catch((e: unknown) => {
  console.error(isWeftError(e) ? `${e.code}: ${e.message}` : e);
  process.exitCode = 1;
});
