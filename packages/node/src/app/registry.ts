import type { TSchema } from "@sinclair/typebox";
import { type TypeCheck, TypeCompiler } from "@sinclair/typebox/compiler";
import { AppError } from "../errors.js";
import type { MethodDefinition, Module, QueryDefinition } from "./module.js";

/** The modules of a chain, in a fixed order, with their argument schemas compiled once. */
export class ModuleRegistry {
  private readonly byName = new Map<string, Module>();
  private readonly checks = new Map<TSchema, TypeCheck<TSchema>>();
  /** Modules that judge every call before it executes (identity's policies). */
  readonly authorizers: readonly Module[];

  constructor(readonly modules: readonly Module[]) {
    for (const m of modules) {
      if (this.byName.has(m.name)) throw new Error(`module ${m.name} registered twice`);
      this.byName.set(m.name, m);
      for (const def of [...Object.values(m.methods), ...Object.values(m.queries)]) {
        const schema = "args" in def ? def.args : def.params;
        this.checks.set(schema, TypeCompiler.Compile(schema));
      }
      if (m.genesisSchema) this.checks.set(m.genesisSchema, TypeCompiler.Compile(m.genesisSchema));
    }
    this.authorizers = modules.filter((m) => m.authorize !== undefined);
  }

  module(name: string): Module {
    const m = this.byName.get(name);
    if (!m)
      throw new AppError({ code: "APP_UNKNOWN_MODULE", message: `unknown module ${name}`, module: name });
    return m;
  }

  /** Resolves a call and validates its arguments; the same check runs at admission and execution. */
  method(module: string, method: string, args: unknown): MethodDefinition {
    const m = this.module(module);
    const def = Object.hasOwn(m.methods, method) ? m.methods[method] : undefined;
    if (!def)
      throw new AppError({
        code: "APP_UNKNOWN_METHOD",
        message: `module ${module} has no method ${method}`,
        module,
        method,
      });
    this.validate(def.args, args, `${module}.${method}`);
    return def;
  }

  /** Admission: the call resolves, its arguments fit the schema, and its stateless precheck passes. */
  admit(module: string, method: string, args: unknown): void {
    this.method(module, method, args).precheck?.(args);
  }

  query(module: string, name: string, params: unknown): QueryDefinition {
    const m = this.module(module);
    const def = Object.hasOwn(m.queries, name) ? m.queries[name] : undefined;
    if (!def)
      throw new AppError({
        code: "APP_UNKNOWN_QUERY",
        message: `module ${module} has no query ${name}`,
        module,
        query: name,
      });
    this.validate(def.params, params, `${module}.${name}`);
    return def;
  }

  validate(schema: TSchema, value: unknown, what: string): void {
    const check = this.checks.get(schema);
    if (check?.Check(value)) return;
    const first = check?.Errors(value).First();
    throw new AppError({
      code: "APP_INVALID_ARGS",
      message: `${what}: ${first ? `${first.path || "/"} ${first.message}` : "invalid"}`,
      path: first?.path ?? "",
    });
  }
}
