import { join } from "node:path";
import { type CanonicalValue, type KeyPair, signTx, type TxStatus } from "@weft/core";
import { pino } from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { rotateNodeCertificate } from "../../src/config/cert-rotation.js";
import type { WeftNode } from "../../src/node.js";
import { createTestNetwork, type TestNetwork, until } from "../support/network.js";

/**
 * Four organisations (so three keep a BFT quorum): the on-chain registry drives who may connect.
 * org4's admin revokes its own node's certificate (its node is cut off), org4 rotates it (back
 * in), then the other organisations vote org4 out (cut off for good).
 */
describe("membership-driven networking on a running network", () => {
  let net: TestNetwork | undefined;
  afterAll(async () => {
    await net?.close();
  });

  it("follows revocation, rotation and removal of an organisation on chain", async () => {
    const logs: Record<string, unknown>[][] = [[], [], [], []];
    net = await createTestNetwork(4, {
      logger: (i) =>
        pino(
          { level: "info", base: undefined },
          { write: (line: string) => logs[i]!.push(JSON.parse(line)) },
        ),
    });
    for (let i = 0; i < 4; i++) await net.start(i);
    const node = (i: number): WeftNode => net!.nodes[i]!;
    const height = (i: number) => node(i).store.head()?.height ?? 0;
    const peers = (i: number) => node(i).p2p!.connectedPeers();
    await until(
      "full mesh and first blocks",
      () => [0, 1, 2, 3].every((i) => peers(i).length === 3 && height(i) >= 1),
      30_000,
    );

    const sequences = new Map<string, number>();
    const send = async (
      key: KeyPair,
      module: string,
      method: string,
      args: Record<string, CanonicalValue>,
    ) => {
      const sequence = sequences.get(key.publicKey) ?? 0;
      sequences.set(key.publicKey, sequence + 1);
      const tx = signTx(
        {
          chainId: "weft-test",
          signer: { alg: key.alg, publicKey: key.publicKey },
          sequence,
          expiresAt: 1_000_000,
          module,
          method,
          args,
        },
        key,
      );
      const [outcome] = await node(0).service.submitTxs([tx]);
      expect(outcome, JSON.stringify(outcome)).toMatchObject({ accepted: true });
      const status: TxStatus = await node(0).service.waitForCommit(outcome!.hash!, 20_000);
      expect(status.receipt?.status, JSON.stringify(status.receipt)).toBe("ok");
      return status;
    };
    const admin = (i: number) => net!.report.orgs[i]!.admin;

    // 1. Revocation: org4's admin revokes its node's certificate.
    const revokedFingerprint = node(3).p2p!.stats().identity.fingerprint;
    await send(admin(3), "identity", "revokeNodeCert", { org: "org4", fingerprint: revokedFingerprint });
    await until(
      "org4-node cut off",
      () => peers(3).length === 0 && [0, 1, 2].every((i) => !peers(i).includes("org4-node")),
      20_000,
    );
    expect(logs[3]).toContainEqual(
      expect.objectContaining({ msg: expect.stringContaining("revoked on chain") }),
    );
    const h1 = height(0);
    await until("the other three keep committing", () => height(0) >= h1 + 2, 30_000);

    // 2. Rotation: a new certificate from org4's CA is not revoked: org4-node is back.
    const rotation = await rotateNodeCertificate(join(net.root, "org4"));
    await until("org4-node reconnected", () => peers(3).length === 3, 30_000);
    expect(
      node(0)
        .p2p!.stats()
        .peers.find((p) => p.id === "org4-node")?.certificate?.fingerprint,
    ).toBe(rotation.fingerprint);

    // 3. Removal: three of four organisations' admins vote org4 out (more than 2/3).
    const proposed = await send(admin(0), "gov", "propose", {
      title: "remove org4",
      actions: [{ module: "identity", method: "removeOrg", args: { name: "org4" } }],
    });
    const id = proposed.events?.find((e) => e.type === "ProposalSubmitted")?.attributes.id as number;
    await send(admin(1), "gov", "vote", { id, approve: true });
    const decided = await send(admin(2), "gov", "vote", { id, approve: true });
    expect(decided.events?.map((e) => e.type)).toContain("ProposalExecuted");
    await until(
      "org4-node removed",
      () => peers(3).length === 0 && [0, 1, 2].every((i) => peers(i).length === 2),
      20_000,
    );
    expect(
      node(0)
        .p2p!.stats()
        .peers.map((p) => p.id),
    ).toEqual(["org2-node", "org3-node"]);
    const h2 = height(0);
    await until("commits after the removal", () => height(0) >= h2 + 2, 30_000);
    await new Promise((r) => setTimeout(r, 500)); // org4-node's redials keep being refused
    expect(peers(3)).toEqual([]);
    const refusedBy = node(1).p2p!.stats().rejected;
    expect((refusedBy.P2P_REMOVED ?? 0) + (refusedBy.P2P_TLS_FAILED ?? 0)).toBeGreaterThan(0);
    if (height(3) >= decided.height!) {
      expect(logs[3]).toContainEqual(
        expect.objectContaining({ msg: expect.stringContaining("not in the on-chain registry") }),
      );
    }
  }, 120_000);
});
