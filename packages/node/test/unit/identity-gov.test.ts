import { addressOf } from "@weft/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { epcisDocument, G, objectEvent } from "../support/epcis.js";
import type { IdChain } from "../support/identity.js";
import { call, makeWorld, type World, worldChain } from "../support/identity-world.js";

let w: World;
let chain: IdChain;
beforeAll(async () => {
  w = await makeWorld();
  chain = await worldChain(w);
});
afterAll(async () => {
  await chain.close();
});

describe("identity actions through the gov module", () => {
  it("an orgVotes action runs once admins of more than 2/3 of the orgs voted yes", async () => {
    const propose = chain.tx(w.brandAdmin, "gov", "propose", {
      title: "QA role",
      actions: [call("identity", "defineRole", { name: "qa", description: "Quality assurance" })],
    });
    const [proposed] = await chain.run(propose);
    expect(proposed?.status).toBe("ok");
    const [first] = await chain.run(chain.tx(w.retailAdmin, "gov", "vote", { id: 1, approve: true }));
    expect(first?.status).toBe("ok");
    expect(chain.state("identity/role/qa")).toBeUndefined();
    // A non-admin's vote does not count for orgVotes.
    await chain.run(chain.tx(w.auditor, "gov", "vote", { id: 1, approve: true }));
    expect(chain.state("identity/role/qa")).toBeUndefined();
    await chain.run(chain.tx(w.auditAdmin, "gov", "vote", { id: 1, approve: true }));
    expect(chain.state("identity/role/qa")).toMatchObject({ name: "qa", builtin: false });
  });

  it("removing an org by governance stops its members at once", async () => {
    await chain.run(
      chain.tx(w.brandAdmin, "gov", "propose", {
        title: "Remove retail",
        actions: [call("identity", "removeOrg", { name: "retail" })],
      }),
    );
    await chain.run(chain.tx(w.retailAdmin, "gov", "vote", { id: 2, approve: true }));
    await chain.run(chain.tx(w.auditAdmin, "gov", "vote", { id: 2, approve: true }));
    expect(chain.state("identity/org/retail")).toMatchObject({ status: "removed" });
    const doc = {
      document: epcisDocument([objectEvent({ epcList: [G.jacket(77)], readPoint: { id: G.dc } })]),
    };
    const [r] = await chain.run(chain.tx(w.retailWriter, "trace", "capture", doc));
    expect(r?.error?.code).toBe("IDENTITY_ORG_REMOVED");
    expect(chain.state(`identity/member/${addressOf(w.retailWriter)}`)).toMatchObject({ status: "active" });
  });
});
