import { addressOf, type CanonicalValue, type ChainEvent, canonicalString, txHash } from "@weft/core";
import type { BlockView, TxStatus } from "@weft/sdk";

// Human renderings of what the node returns; `--json` prints the objects themselves.

/** Base units as a decimal amount: ("100050", 2) → "1000.50". */
export function formatUnits(units: string, decimals: number): string {
  if (!/^[0-9]+$/.test(units) || decimals <= 0) return units;
  const padded = units.padStart(decimals + 1, "0");
  return `${padded.slice(0, -decimals)}.${padded.slice(-decimals)}`;
}

export const showValue = (value: CanonicalValue | null): string =>
  value === null ? "(absent)" : canonicalString(value);

export function renderTxStatus(status: TxStatus): string[] {
  const { body } = status.tx;
  const lines = [
    `tx ${status.hash}`,
    `call: ${body.module}.${body.method} ${canonicalString(body.args)}`,
    `signer: ${addressOf(body.signer)} (sequence ${body.sequence})`,
  ];
  if (status.status === "pending" || !status.receipt) return [...lines, "status: pending (in the mempool)"];
  const { receipt } = status;
  const where = `committed at height ${status.height} (index ${status.index})`;
  if (receipt.status === "failed") {
    const error = receipt.error ? `${receipt.error.code}: ${receipt.error.message}` : "no reason given";
    return [...lines, `status: ${where}: FAILED ${error}`];
  }
  return [...lines, `status: ${where}: ok`, ...(status.events ?? []).map((e) => `event: ${renderEvent(e)}`)];
}

export const renderEvent = (e: ChainEvent): string =>
  `${e.module}.${e.type} ${canonicalString(e.attributes)}`;

export function renderBlock(view: BlockView): string[] {
  const { header, txs } = view.block;
  return [
    `block ${header.height} ${view.hash}`,
    `chain: ${header.chainId}`,
    `time: ${new Date(header.time).toISOString()}`,
    `proposer: ${header.proposer}`,
    `previous: ${header.previousBlockHash}`,
    `state root: ${header.stateRoot}`,
    `log root: ${header.logRoot} (size ${header.logSize})`,
    `txs: ${header.txCount}`,
    ...txs.map(
      (tx) => `  ${txHash(tx)} ${tx.body.module}.${tx.body.method} from ${addressOf(tx.body.signer)}`,
    ),
    `commit: ${view.commit ? `${view.commit.signatures.length} signature(s), round ${view.commit.round}` : "not yet known"}`,
  ];
}

/** Rows as left-aligned columns two spaces apart. */
export function columns(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? "").length))) ?? [];
  return rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd(),
  );
}
