import { afterEach, describe, expect, it } from "vitest";
import { createEpcisApi, createTraceChain, type TraceChain } from "../support/epcis-chain.js";
import { buildApi, PROBLEM_JSON } from "./support/api.js";

const PIP = "https://gs1.org/voc/pip";
const TRACE = "https://gs1.org/voc/traceability";
const VERIFY = "https://gs1.org/voc/verificationService";
const DEFAULT = "https://gs1.org/voc/defaultLink";

type Linkset = { linkset: [Record<string, unknown> & { anchor: string }] };
type Target = { href: string; title: string; type: string };

async function resolve(url: string) {
  const { app } = await buildApi();
  const res = await app.inject(url);
  return { res, body: res.json() as Linkset };
}

const hrefs = (body: Linkset, rel: string) =>
  ((body.linkset[0][rel] as Target[] | undefined) ?? []).map((t) => t.href);

describe("GS1 Digital Link resolver", () => {
  it("answers a serialised GTIN with an RFC 9264 linkset and Link header", async () => {
    const { res, body } = await resolve("/01/09506000134352/21/ABC-1");
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^application\/linkset\+json/);
    expect(body.linkset).toHaveLength(1);
    const [context] = body.linkset;
    expect(context.anchor).toBe("https://id.gs1.org/01/09506000134352/21/ABC-1");
    expect(hrefs(body, PIP)).toEqual(["https://id.gs1.org/01/09506000134352/21/ABC-1?linkType=gs1:pip"]);
    const trace = new URL(hrefs(body, TRACE)[0] as string);
    expect(trace.pathname).toBe("/epcis/events");
    expect(trace.searchParams.get("MATCH_anyEPC")).toBe("https://id.gs1.org/01/09506000134352/21/ABC-1");
    const verify = new URL(hrefs(body, VERIFY)[0] as string);
    expect(verify.pathname).toBe("/verify");
    expect(verify.searchParams.get("dl")).toBe("https://id.gs1.org/01/09506000134352/21/ABC-1");
    expect(hrefs(body, DEFAULT)).toEqual(hrefs(body, PIP));
    expect(context[PIP]).toEqual([expect.objectContaining({ type: "text/html", title: expect.any(String) })]);
    const link = res.headers.link as string;
    expect(link).toContain(`rel="${PIP}"`);
    expect(link).toContain(`rel="${TRACE}"`);
    expect(link).toContain(`rel="${VERIFY}"`);
    expect(link).toMatch(
      /<http:\/\/localhost:80\/01\/09506000134352\/21\/ABC-1\?linkType=linkset>; rel="linkset"/,
    );
  });

  it.each([
    ["/01/09506000134352", "https://id.gs1.org/01/09506000134352", "MATCH_anyEPCClass", false],
    ["/01/9506000134352", "https://id.gs1.org/01/09506000134352", "MATCH_anyEPCClass", false],
    [
      "/01/09506000134352/10/LOT%2F7",
      "https://id.gs1.org/01/09506000134352/10/LOT%2F7",
      "MATCH_anyEPCClass",
      false,
    ],
    [
      "/01/09506000134352/10/L1/21/S1",
      "https://id.gs1.org/01/09506000134352/10/L1/21/S1",
      "MATCH_anyEPC",
      true,
    ],
    ["/00/095060001343520000", "https://id.gs1.org/00/095060001343520000", "MATCH_anyEPC", true],
    ["/414/9506000134352", "https://id.gs1.org/414/9506000134352", "EQ_bizLocation", false],
    [
      "/414/9506000134352/254/dock-1",
      "https://id.gs1.org/414/9506000134352/254/dock-1",
      "EQ_bizLocation",
      false,
    ],
    ["/8004/9506000134THERMO1", "https://id.gs1.org/8004/9506000134THERMO1", "MATCH_anyEPC", true],
    ["/8003/09506000134352A1", "https://id.gs1.org/8003/09506000134352A1", "MATCH_anyEPC", true],
    [
      "/8006/095060001343520102/21/S9",
      "https://id.gs1.org/8006/095060001343520102/21/S9",
      "MATCH_anyEPC",
      true,
    ],
  ])("resolves %s", async (url, anchor, param, verifiable) => {
    const { res, body } = await resolve(url);
    expect(res.statusCode, res.body).toBe(200);
    expect(body.linkset[0].anchor).toBe(anchor);
    const trace = new URL(hrefs(body, TRACE)[0] as string);
    expect([...trace.searchParams.keys()]).toEqual([param]);
    expect(hrefs(body, VERIFY).length > 0).toBe(verifiable);
  });

  it("answers a party GLN without traceability and verification links", async () => {
    const { res, body } = await resolve("/417/9506000134352");
    expect(res.statusCode).toBe(200);
    expect(body.linkset[0].anchor).toBe("https://id.gs1.org/417/9506000134352");
    expect(Object.keys(body.linkset[0])).toEqual(["anchor"]);
  });

  it("redirects to the link a linkType names", async () => {
    const { app } = await buildApi();
    const pip = await app.inject("/01/09506000134352/21/A?linkType=gs1:pip");
    expect(pip.statusCode).toBe(307);
    expect(pip.headers.location).toBe("https://id.gs1.org/01/09506000134352/21/A?linkType=gs1:pip");
    const trace = await app.inject(`/01/09506000134352/21/A?linkType=${encodeURIComponent(TRACE)}`);
    expect(trace.statusCode).toBe(307);
    expect(trace.headers.location).toMatch(/\/epcis\/events\?MATCH_anyEPC=/);
    const verify = await app.inject("/01/09506000134352/21/A?linkType=gs1:verificationService");
    expect(verify.headers.location).toMatch(/\/verify\?dl=/);
    const unknown = await app.inject("/01/09506000134352/21/A?linkType=gs1:recipeInfo");
    expect(unknown.statusCode).toBe(307);
    expect(unknown.headers.location).toBe(pip.headers.location);
    const all = await app.inject("/01/09506000134352/21/A?linkType=all");
    expect(all.statusCode).toBe(200);
  });

  it.each([
    ["/01/09506000134353", "ID_CHECK_DIGIT", "01", /check digit.*\b2\b/],
    ["/01/09506000134353/21/X", "ID_CHECK_DIGIT", "01", /check digit.*\b2\b/],
    ["/00/095060001343520009", "ID_CHECK_DIGIT", "00", /check digit.*\b0\b/],
    ["/414/9506000134353", "ID_CHECK_DIGIT", "414", /check digit.*\b2\b/],
    ["/01/09506000134", "ID_LENGTH", "01", /14/],
    [`/01/09506000134352/21/${"x".repeat(21)}`, "ID_LENGTH", "21", /20/],
  ])("refuses %s with 400 %s naming the AI and value", async (url, code, ai, detail) => {
    const { app } = await buildApi();
    const res = await app.inject(url);
    expect(res.statusCode).toBe(400);
    expect(res.headers["content-type"]).toMatch(PROBLEM_JSON);
    expect(res.json()).toMatchObject({
      type: `urn:weft:problem:${code}`,
      code,
      status: 400,
      ai,
      instance: url,
    });
    expect(res.json().detail).toMatch(detail);
    expect(res.json().value).toEqual(expect.any(String));
  });

  it("refuses qualifiers in the wrong order or not belonging to the key", async () => {
    const { app } = await buildApi();
    const order = await app.inject("/01/09506000134352/21/S/10/L");
    expect(order.statusCode).toBe(400);
    expect(order.json()).toMatchObject({ code: "ID_DL_QUALIFIER" });
    const foreign = await app.inject("/00/095060001343520000/21/S");
    expect(foreign.json()).toMatchObject({ code: "ID_DL_QUALIFIER" });
  });
});

describe("resolver options", () => {
  let tc: TraceChain | undefined;
  afterEach(async () => {
    await tc?.close();
    tc = undefined;
  });

  it("uses the pip URL template and the public base URL", async () => {
    tc = await createTraceChain();
    const app = await createEpcisApi(tc, {
      options: {
        publicBaseUrl: "https://node.example.com/weft/",
        pipUrlTemplate: "https://brand.example.com/p/{gtin}?serial={serial}&dl={dl}",
      },
    });
    try {
      const res = await app.inject("/01/09506000134352/21/A%2FB");
      const body = res.json() as Linkset;
      expect(hrefs(body, PIP)).toEqual([
        "https://brand.example.com/p/09506000134352?serial=A%2FB&dl=/01/09506000134352/21/A%2FB",
      ]);
      expect(hrefs(body, TRACE)[0]).toMatch(/^https:\/\/node\.example\.com\/weft\/epcis\/events\?/);
      expect(hrefs(body, VERIFY)[0]).toMatch(/^https:\/\/node\.example\.com\/weft\/verify\?dl=/);
    } finally {
      await app.close();
    }
  });

  it("refuses options that cannot work", async () => {
    tc = await createTraceChain();
    const build = (options: Record<string, unknown>) => createEpcisApi(tc as TraceChain, { options });
    await expect(build({ captureLimit: 0 })).rejects.toThrow(/epcis.captureLimit/);
    await expect(build({ publicBaseUrl: "node.example.com" })).rejects.toThrow(/publicBaseUrl/);
    await expect(build({ verify: { maxTravelKmh: -1 } })).rejects.toThrow(/verify.maxTravelKmh/);
    await expect(build({ responderGln: "123" })).rejects.toThrow(/responderGln/);
  });
});
