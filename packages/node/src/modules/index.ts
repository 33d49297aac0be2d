import type { Module } from "../app/module.js";
import { evidenceModule } from "./evidence/module.js";
import { tokenModule } from "./token/module.js";
import { traceModule } from "./trace/module.js";

/** The modules every Weft chain runs, in execution order. */
export const defaultModules: readonly Module[] = [tokenModule, evidenceModule, traceModule];
