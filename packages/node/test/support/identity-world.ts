/**
 * Three organisations for identity tests: a brand (GS1 prefix 4012345, the garment chain's
 * factory), a retailer (0614141, the DC) and an audit firm; a device of the brand; and `testgov`,
 * a stand-in for governance that runs calls on behalf of chosen approvers through ctx.invoke.
 */
import { Type } from "@sinclair/typebox";
import { type CanonicalValue, generateKeyPair, type KeyPair } from "@weft/core";
import type { CaMaterial } from "@weft/p2p";
import { type Call, defineMethod, type Module } from "../../src/app/module.js";
import { defaultModules } from "../../src/modules/index.js";
import { G } from "./epcis.js";
import {
  createCa,
  createIdChain,
  type GenesisMemberSpec,
  type IdChain,
  identityAppState,
} from "./identity.js";

export interface World {
  cas: { brand: CaMaterial; retail: CaMaterial; audit: CaMaterial };
  brandAdmin: KeyPair;
  brandWriter: KeyPair;
  brandOperator: KeyPair;
  thermo: KeyPair;
  hygro: KeyPair;
  retailAdmin: KeyPair;
  retailWriter: KeyPair;
  auditAdmin: KeyPair;
  auditor: KeyPair;
  stranger: KeyPair;
}

export const HYGROMETER = "urn:epc:id:giai:4012345.HYGRO-9";

let cas: World["cas"] | undefined;

export async function makeWorld(): Promise<World> {
  cas ??= {
    brand: await createCa("brand"),
    retail: await createCa("retail"),
    audit: await createCa("audit"),
  };
  return {
    cas,
    brandAdmin: generateKeyPair(),
    brandWriter: generateKeyPair("p256"),
    brandOperator: generateKeyPair(),
    thermo: generateKeyPair(),
    hygro: generateKeyPair(),
    retailAdmin: generateKeyPair(),
    retailWriter: generateKeyPair(),
    auditAdmin: generateKeyPair(),
    auditor: generateKeyPair(),
    stranger: generateKeyPair(),
  };
}

/** A stand-in for gov: `testgov.exec {calls, approvers}` invokes the calls on the approvers' behalf. */
export const testGovModule: Module = {
  name: "testgov",
  methods: {
    exec: defineMethod({
      description: "Run calls on behalf of approvers (tests only).",
      args: Type.Object({
        calls: Type.Array(
          Type.Object({ module: Type.String(), method: Type.String(), args: Type.Unknown() }),
        ),
        approvers: Type.Array(Type.String()),
      }),
      execute(ctx, args) {
        ctx.invoke(args.calls as Call[], args.approvers);
      },
    }),
  },
  queries: {},
};

export interface WorldOptions {
  policies?: Record<string, unknown>;
  /** Extra brand members (certificates…). */
  brandMembers?: GenesisMemberSpec[];
}

export async function worldChain(w: World, opts: WorldOptions = {}): Promise<IdChain> {
  const identity = identityAppState(
    [
      {
        name: "brand",
        ca: w.cas.brand,
        companyPrefixes: ["4012345"],
        members: [
          { id: "admin", key: w.brandAdmin, roles: ["admin"] },
          { id: "writer", key: w.brandWriter, roles: ["writer"] },
          { id: "operator", key: w.brandOperator, roles: ["operator"] },
          { id: G.sensor, key: w.thermo, roles: ["device"], kind: "device" },
          { id: HYGROMETER, key: w.hygro, roles: ["device"], kind: "device" },
          ...(opts.brandMembers ?? []),
        ],
      },
      {
        name: "retail",
        ca: w.cas.retail,
        companyPrefixes: ["0614141"],
        members: [
          { id: "admin", key: w.retailAdmin, roles: ["admin"] },
          { id: "writer", key: w.retailWriter, roles: ["writer"] },
        ],
      },
      {
        name: "audit",
        ca: w.cas.audit,
        members: [
          { id: "admin", key: w.auditAdmin, roles: ["admin"] },
          { id: "auditor", key: w.auditor, roles: ["auditor"] },
        ],
      },
    ],
    { policies: { "testgov.exec": { public: true }, ...opts.policies } },
  );
  return createIdChain({ identity, modules: [...defaultModules, testGovModule] });
}

/** The admins of every org: more than 2/3 of the active orgs. */
export const allAdmins = (w: World) => [w.brandAdmin, w.retailAdmin, w.auditAdmin];

export const call = (module: string, method: string, args: unknown): Call => ({
  module,
  method,
  args: args as CanonicalValue,
});
