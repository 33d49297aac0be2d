import { idError } from "./errors.js";

/**
 * Mandatory associations (`req=`) and invalid pairs (`ex=`) of GS1 Application Identifiers,
 * transcribed from the GS1 Barcode Syntax Dictionary (github.com/gs1/gs1-syntax-dictionary,
 * Apache-2.0; GS1 General Specifications §4.13). Format per line: `AI[-AI] req=a,b req=c ex=d,e`;
 * several `req=` must all hold, each by one of its listed AIs; `n` in a pattern is any digit.
 * The DL grammar checks each AI's format but not these cross-AI rules, so they are ours.
 */
const RULES = `
01 ex=02,255,37
02 req=37
10 req=01,02,8006,8026
11 req=01,02,8006,8026
12 req=8020
13 req=01,02,8006,8026
15 req=01,02,8006,8026
16 req=01,02,8006,8026
17 req=01,02,255,8006,8026
20 req=01,02,8006,8026
21 req=01,8006 ex=235
22 req=01
235 req=01
240 req=01,02,8006,8026
241 req=01,02,8006,8026
242 req=01,02,8006,8026
243 req=01
250 req=01,8006 req=21
251 req=01,8006
254 req=414
255 ex=01,02,415,8006,8020,8026
30 req=01,02
37 req=00 req=02,8026
3900-3909 req=255,8020 ex=390n,391n,394n,8111
3910-3919 req=8020 ex=391n
3920-3929 req=01 req=30,31nn,32nn,35nn,36nn ex=392n,393n
3930-3939 req=30,31nn,32nn,35nn,36nn ex=393n
3940-3943 req=255 ex=394n,8111
3950-3955 req=30,31nn,32nn,35nn,36nn ex=392n,393n,395n,8005
403 req=00
415 req=8020
420 ex=421
421 ex=4307
422 req=01,02,8006,8026 ex=426
423 req=01,02 ex=426
424 req=01,02 ex=426
425 req=01,02 ex=426
426 req=01,02
427 req=01,02 req=422
4300-4302 req=00
4303 req=4302
4304-4312 req=00
4313 req=4312
4314-4326 req=00
4330 req=00 ex=4331
4331 req=00 ex=4330
4332 req=00 ex=4333
4333 req=00 ex=4332
7001 req=01,02,8006,8026
7002-7003 req=01,02
7004 req=01 req=10
7005-7011 req=01,02
7020 req=01,8006 req=416
7021 req=01,8006
7022 req=7021
7030-7039 req=01,02
710-715 req=01
7230-7239 req=01,8004
7240 req=01,8006
7241-7242 req=8017,8018
8001 req=01
8005 req=01,02
8006 ex=01,37
8007 req=415
8008 req=01,02
8009 req=00,01
8011 req=8010
8012 req=01,8006
8017 ex=8018
8018 ex=8017
8019 req=8017,8018
8020 req=415
8026 req=37 ex=02,8006
8030 req=00,01,253,255,8003,8004,8006,8010,8017,8018
8111 req=255
8200 req=01
`;

/** Measure families 31nn-36nn (six AIs each, last digit = decimal places): family → req. */
const MEASURES: Record<string, string> = {
  "310": "01,02",
  "311": "01,02",
  "312": "01,02",
  "313": "01,02",
  "314": "01,02",
  "315": "01,02",
  "316": "01,02",
  "320": "01,02",
  "321": "01,02",
  "322": "01,02",
  "323": "01,02",
  "324": "01,02",
  "325": "01,02",
  "326": "01,02",
  "327": "01,02",
  "328": "01,02",
  "329": "01,02",
  "330": "00,01",
  "331": "00,01",
  "332": "00,01",
  "333": "00,01",
  "334": "00,01",
  "335": "00,01",
  "336": "00,01",
  "337": "01",
  "340": "00,01",
  "341": "00,01",
  "342": "00,01",
  "343": "00,01",
  "344": "00,01",
  "345": "00,01",
  "346": "00,01",
  "347": "00,01",
  "348": "00,01",
  "349": "00,01",
  "350": "01,02",
  "351": "01,02",
  "352": "01,02",
  "353": "00,01",
  "354": "00,01",
  "355": "00,01",
  "356": "01,02",
  "357": "01,02",
  "360": "01,02",
  "361": "01,02",
  "362": "00,01",
  "363": "00,01",
  "364": "01,02",
  "365": "01,02",
  "366": "01,02",
  "367": "00,01",
  "368": "00,01",
  "369": "00,01",
};

interface Rule {
  readonly req: readonly (readonly string[])[];
  readonly ex: readonly string[];
}

const TABLE: ReadonlyMap<string, Rule> = buildTable();

function buildTable(): Map<string, Rule> {
  const table = new Map<string, Rule>();
  const lines = RULES.trim().split("\n");
  for (const [family, req] of Object.entries(MEASURES))
    lines.push(`${family}0-${family}5 req=${req} ex=${family}n`);
  for (const line of lines) {
    const [range = "", ...tokens] = line.trim().split(/\s+/);
    const rule: Rule = {
      req: tokens.filter((t) => t.startsWith("req=")).map((t) => t.slice(4).split(",")),
      ex: tokens.filter((t) => t.startsWith("ex=")).flatMap((t) => t.slice(3).split(",")),
    };
    const [from = "", to = from] = range.split("-");
    for (let n = Number(from); n <= Number(to); n++) table.set(String(n).padStart(from.length, "0"), rule);
  }
  return table;
}

function matches(pattern: string, ai: string): boolean {
  if (pattern.length !== ai.length) return false;
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern.charAt(i);
    if (p !== "n" && p !== ai.charAt(i)) return false;
  }
  return true;
}

const list = (ais: readonly string[]) => ais.map((a) => `(${a})`).join(", ");

/**
 * Throws ID_DL_AI_COMBINATION when the AIs of one Digital Link break a GS1 invalid pair or lack a
 * mandatory association. `ais` holds each AI once (duplicates are refused before this).
 * Key qualifiers in the path are tied to their primary key by the DL structure (e.g. CPV (22)
 * qualifies an ITIP (8006) although the dictionary lists `req=01` for it), so their mandatory
 * associations are not re-checked; invalid pairs are checked for every AI.
 */
export function checkAiAssociations(
  ais: readonly string[],
  pathQualifiers: ReadonlySet<string>,
  input: string,
): void {
  for (const ai of ais) {
    const rule = TABLE.get(ai);
    if (!rule) continue;
    const others = ais.filter((a) => a !== ai);
    for (const group of pathQualifiers.has(ai) ? [] : rule.req) {
      if (!others.some((o) => group.some((p) => matches(p, o)))) {
        throw idError(
          "ID_DL_AI_COMBINATION",
          `AI (${ai}) requires ${group.length > 1 ? "one of AI " : "AI "}${list(group)} in the same Digital Link`,
          ai,
          { input, ai },
        );
      }
    }
    const clash = others.find((o) => rule.ex.some((p) => matches(p, o)));
    if (clash !== undefined) {
      throw idError("ID_DL_AI_COMBINATION", `AI (${ai}) and AI (${clash}) are an invalid pair`, ai, {
        input,
        ai,
      });
    }
  }
}
