import { defineMethod, defineQuery, type Module } from "../../app/module.js";
import { checkDoubleSign, checkSignatures, orderVotes } from "./check.js";
import { EvidenceError } from "./errors.js";
import { EvidenceGenesisSchema, GetParamsSchema, ListParamsSchema, SubmitArgsSchema } from "./schema.js";
import { EvidenceStore, indexKey, recordKey } from "./state.js";

const submit = defineMethod({
  description:
    "Record proof that a validator double-signed: two of its votes for one height, round and type, for different blocks. Any account may submit it.",
  args: SubmitArgsSchema,
  execute(ctx, args) {
    // The schema admits exactly the SignedVote fields, so the votes carry nothing else into state.
    const { a, b } = args;
    checkDoubleSign(ctx, a, b);
    const { validator, height, round, type } = a;
    const evidence = new EvidenceStore(ctx.state);
    if (evidence.has({ validator, height, round, type })) {
      throw new EvidenceError({
        code: "EVIDENCE_DUPLICATE",
        message: `double sign by ${validator} at height ${height} round ${round} (${type}) is already recorded`,
        validator,
        height,
        round,
        type,
      });
    }
    checkSignatures(ctx, a, b);
    evidence.put({
      validator,
      height,
      round,
      type,
      votes: orderVotes(a, b),
      reportedBy: ctx.sender,
      reportedAt: ctx.height,
    });
    ctx.emit("DoubleSign", { validator, height, round, type, reportedBy: ctx.sender });
  },
});

export const evidenceModule: Module = {
  name: "evidence",
  methods: { submit },
  queries: {
    get: defineQuery({
      description: "The recorded double sign of a validator at a height, round and vote type.",
      params: GetParamsSchema,
      key: (p) => recordKey(p.validator, p.height, p.round, p.type),
    }),
    list: defineQuery({
      description: "Height, round and type of every double sign recorded for a validator ([] if none).",
      params: ListParamsSchema,
      key: (p) => indexKey(p.validator),
      absent: [],
    }),
  },
  genesisSchema: EvidenceGenesisSchema,
  // Nothing to set up; defined so a genesis naming the module is checked against its schema.
  initGenesis() {},
};
