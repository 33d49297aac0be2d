import { isValidGln } from "@weft/epcis";
import { NodeError } from "../../errors.js";
import { defaultVerifyOptions, resolveVerifyOptions, type VerifyOptions } from "../../verify/options.js";

/** The EPCIS 2.0 REST binding, the Digital Link resolver and item verification. */
export interface EpcisApiOptions {
  /** Most events in one `POST /epcis/capture` (`GS1-EPCIS-Capture-Limit`). */
  captureLimit: number;
  /** Largest capture body in bytes (`GS1-EPCIS-Capture-File-Size-Limit`). */
  captureFileSizeLimit: number;
  /** `perPage` when a query gives none (the EPCIS default is 30) and its upper bound. */
  defaultPerPage: number;
  maxPerPage: number;
  /** Blocks a capture transaction stays valid for after submission (then the job reports it failed). */
  captureTxLifetimeBlocks: number;
  /** Capture jobs kept (the oldest finished ones are deleted beyond it). */
  maxCaptureJobs: number;
  maxNamedQueries: number;
  /** Subscriptions per named query (webhooks; WebSocket streams count too). */
  maxSubscriptionsPerQuery: number;
  /** Open WebSocket query streams on this node. */
  wsMaxStreams: number;
  /** Webhook POST timeout and attempts (with 1 s, 5 s, 25 s … between attempts). */
  webhookTimeoutMs: number;
  webhookAttempts: number;
  /** Events buffered for one scheduled subscription before it is delivered early. */
  scheduledBufferLimit: number;
  /**
   * This node's public base URL (`https://node.example.com`), used in `Location`/`Link` headers and
   * resolver links. Empty: taken from each request's scheme and `Host` header.
   */
  publicBaseUrl: string;
  /**
   * Product information page (`gs1:pip`) of the resolver. Placeholders: `{dl}` (the Digital Link
   * path, e.g. `/01/09506000134352/21/1`), `{gtin}`, `{ai}`, `{key}` (primary key AI and value),
   * `{serial}`, `{lot}`; each value is percent-encoded. Default: the GS1 global resolver's pip.
   */
  pipUrlTemplate: string;
  /** GLN of the organisation answering verification requests (VRS `responderGLN`); empty: omitted. */
  responderGln: string;
  verify: VerifyOptions;
}

export const defaultEpcisApiOptions: Readonly<EpcisApiOptions> = Object.freeze({
  captureLimit: 10_000,
  captureFileSizeLimit: 16 * 1024 * 1024,
  defaultPerPage: 30,
  maxPerPage: 1000,
  captureTxLifetimeBlocks: 1000,
  maxCaptureJobs: 10_000,
  maxNamedQueries: 1000,
  maxSubscriptionsPerQuery: 100,
  wsMaxStreams: 256,
  webhookTimeoutMs: 10_000,
  webhookAttempts: 4,
  scheduledBufferLimit: 10_000,
  publicBaseUrl: "",
  pipUrlTemplate: "https://id.gs1.org{dl}?linkType=gs1:pip",
  responderGln: "",
  verify: defaultVerifyOptions,
});

const COUNTS = [
  "captureLimit",
  "captureFileSizeLimit",
  "defaultPerPage",
  "maxPerPage",
  "captureTxLifetimeBlocks",
  "maxCaptureJobs",
  "maxNamedQueries",
  "maxSubscriptionsPerQuery",
  "wsMaxStreams",
  "webhookTimeoutMs",
  "webhookAttempts",
  "scheduledBufferLimit",
] as const satisfies readonly (keyof EpcisApiOptions)[];

/** Fills in defaults (also inside `verify`) and refuses settings that cannot work. */
export function resolveEpcisApiOptions(
  options: Partial<Omit<EpcisApiOptions, "verify">> & { verify?: Partial<VerifyOptions> } = {},
): EpcisApiOptions {
  const resolved: EpcisApiOptions = { ...defaultEpcisApiOptions };
  for (const [key, value] of Object.entries(options)) {
    if (value !== undefined && key !== "verify") Object.assign(resolved, { [key]: value });
  }
  resolved.verify = resolveVerifyOptions(options.verify);
  for (const key of COUNTS) {
    const value = resolved[key];
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) {
      throw badConfig(`epcis.${key} must be a positive integer (got ${String(value)})`);
    }
  }
  if (resolved.defaultPerPage > resolved.maxPerPage) {
    throw badConfig("epcis.defaultPerPage must not exceed epcis.maxPerPage");
  }
  if (resolved.publicBaseUrl !== "") {
    if (!/^https?:\/\/[^/?#\s]+(\/[^?#\s]*)?$/.test(resolved.publicBaseUrl)) {
      throw badConfig(
        `epcis.publicBaseUrl must be an http(s) URL without query (got ${resolved.publicBaseUrl})`,
      );
    }
    resolved.publicBaseUrl = resolved.publicBaseUrl.replace(/\/+$/, "");
  }
  if (typeof resolved.pipUrlTemplate !== "string" || !/^https?:\/\//.test(resolved.pipUrlTemplate)) {
    throw badConfig("epcis.pipUrlTemplate must be an http(s) URL template");
  }
  if (resolved.responderGln !== "" && !isValidGln(resolved.responderGln)) {
    throw badConfig(
      `epcis.responderGln must be a GLN (13 digits, valid check digit), not ${resolved.responderGln}`,
    );
  }
  return resolved;
}

const badConfig = (message: string) => new NodeError({ code: "NODE_BAD_CONFIG", message });
