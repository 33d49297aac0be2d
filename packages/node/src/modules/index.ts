import type { Module } from "../app/module.js";
import { escrowModule } from "./escrow/module.js";
import { evidenceModule } from "./evidence/module.js";
import { govModule } from "./gov/module.js";
import { identityModule } from "./identity/module.js";
import { tokenModule } from "./token/module.js";
import { traceModule } from "./trace/module.js";
import { validatorsModule } from "./validators/module.js";

/** The modules every Weft chain runs, in execution order. */
export const defaultModules: readonly Module[] = [
  identityModule,
  tokenModule,
  evidenceModule,
  traceModule,
  escrowModule,
  govModule,
  validatorsModule,
];
