import { Type } from "@sinclair/typebox";
import type { WeftError } from "@weft/core";
import type { SubmitOutcome, TxStatus as TxStatusView } from "../../service.js";
import type { ApiApp, RouteContext } from "../context.js";
import { ApiError, notFound, statusForCode } from "../problem.js";
import { problems, ref, SignedTx, SubmitAccepted, SubmitBatchResult, TxHash, TxStatus } from "../schemas.js";

export function txRoutes(app: ApiApp, { service, options }: RouteContext): void {
  // Validation stays loose on the transactions themselves: the node decodes them and names
  // the precise TxError. The OpenAPI document shows the real shape (swaggerTransform below).
  const body = Type.Object(
    { txs: Type.Optional(Type.Array(Type.Unknown(), { minItems: 1, maxItems: options.maxBatch })) },
    { additionalProperties: true },
  );
  const documentedBody = Type.Union([
    ref(SignedTx),
    Type.Object(
      { txs: Type.Array(ref(SignedTx), { minItems: 1, maxItems: options.maxBatch }) },
      { additionalProperties: false },
    ),
  ]);
  const querystring = Type.Object(
    {
      wait: Type.Optional(
        Type.Boolean({ default: false, description: "wait until committed (or timeoutMs)" }),
      ),
      timeoutMs: Type.Optional(
        Type.Integer({ minimum: 0, maximum: options.maxWaitTimeoutMs, default: options.waitTimeoutMs }),
      ),
    },
    { additionalProperties: false },
  );

  app.post(
    "/v1/txs",
    {
      schema: {
        tags: ["txs"],
        summary: "Submit one signed transaction or a batch ({ txs: [...] })",
        description:
          "One transaction: 202 once admitted to the mempool, or a problem if refused. With wait=true: " +
          "200 with its status once committed, 202 with its pending status on timeout. A batch always " +
          "answers 200 with one result per transaction; it is not atomic.",
        body,
        querystring,
        response: {
          200: Type.Union([ref(TxStatus), ref(SubmitBatchResult)], {
            description: "single tx with wait: committed status; batch: one result per transaction",
          }),
          202: Type.Union([ref(SubmitAccepted), ref(TxStatus)], {
            description: "single tx: admitted to the mempool (with wait: still pending at the timeout)",
          }),
          ...problems(400, 409, 413, 415, 422, 503),
        },
      },
      config: {
        swaggerTransform: ({ schema, url }) => ({ schema: { ...schema, body: documentedBody }, url }),
      },
    },
    async (request, reply) => {
      const { wait = false, timeoutMs = options.waitTimeoutMs } = request.query;
      const batch = request.body.txs;
      if (batch === undefined) {
        const [outcome] = await service.submitTxs([request.body]);
        if (!outcome) throw new Error("submitTxs returned no outcome for one input");
        if (!outcome.accepted) throw outcome.error;
        if (!wait) return reply.code(202).send({ hash: outcome.hash, accepted: true });
        const status = await service.waitForCommit(outcome.hash, timeoutMs);
        return reply.code(status.status === "committed" ? 200 : 202).send(status);
      }
      const extra = Object.keys(request.body).filter((key) => key !== "txs");
      if (extra.length > 0) {
        throw new ApiError({
          code: "API_VALIDATION",
          message: `body must NOT have additional properties (${extra.join(", ")})`,
        });
      }
      const outcomes = await service.submitTxs(batch);
      const results = await Promise.all(outcomes.map((outcome) => batchResult(outcome, wait, timeoutMs)));
      return reply.code(200).send({ results });
    },
  );

  async function batchResult(outcome: SubmitOutcome, wait: boolean, timeoutMs: number) {
    if (!outcome.accepted) {
      return {
        ...(outcome.hash ? { hash: outcome.hash } : {}),
        accepted: false,
        error: summarize(outcome.error),
      };
    }
    const status: TxStatusView | undefined = wait
      ? await service.waitForCommit(outcome.hash, timeoutMs)
      : undefined;
    return { hash: outcome.hash, accepted: true, ...(status ? { status } : {}) };
  }

  app.get(
    "/v1/txs/:hash",
    {
      schema: {
        tags: ["txs"],
        summary: "A transaction's status: pending in the mempool or committed with its receipt and events",
        params: Type.Object({ hash: TxHash }, { additionalProperties: false }),
        response: { 200: ref(TxStatus, "the transaction's status"), ...problems(400, 404) },
      },
    },
    async (request) => {
      const status = service.getTx(request.params.hash);
      if (!status) throw notFound("transaction", request.params.hash);
      return status;
    },
  );
}

function summarize(
  error: WeftError,
): { code: string; message: string; status: number } & Record<string, unknown> {
  return {
    ...error.toJSON(),
    code: error.code,
    message: error.message,
    status: statusForCode(error.code) ?? 500,
  };
}
