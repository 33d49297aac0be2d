import { describe, expect, it } from "vitest";
import { normaliseTimestamp } from "../../src/hash/timestamp.js";
import { EpcisHashError, preHashString } from "../../src/index.js";
import { thrownCode } from "./support/errors.js";

const codeOf = (f: () => unknown) => thrownCode(f, EpcisHashError);

describe("timestamp normalisation (CBV 2.0 event hash rules 8, 9)", () => {
  it("converts to UTC with Z and milliseconds", () => {
    expect(normaliseTimestamp("2005-04-03T20:33:31.116000-06:00")).toBe("2005-04-04T02:33:31.116Z");
    expect(normaliseTimestamp("2019-10-21T11:58:56.591+02:00")).toBe("2019-10-21T09:58:56.591Z");
    expect(normaliseTimestamp("2023-01-11T11:05:00Z")).toBe("2023-01-11T11:05:00.000Z");
    expect(normaliseTimestamp("2023-03-27T11:30:00.0Z")).toBe("2023-03-27T11:30:00.000Z");
    expect(normaliseTimestamp("2023-02-02T11:04:03.1+01:00")).toBe("2023-02-02T10:04:03.100Z");
    expect(normaliseTimestamp("2023-02-02T11:04:03-00:30")).toBe("2023-02-02T11:34:03.000Z");
  });

  it("rounds on the 4th fractional digit only, half up", () => {
    expect(normaliseTimestamp("2023-02-02T11:04:03.1415Z")).toBe("2023-02-02T11:04:03.142Z");
    expect(normaliseTimestamp("2023-02-02T11:04:03.1414Z")).toBe("2023-02-02T11:04:03.141Z");
    expect(normaliseTimestamp("2023-02-02T11:04:03.14149999Z")).toBe("2023-02-02T11:04:03.141Z");
    expect(normaliseTimestamp("2023-02-12T11:04:03.1007Z")).toBe("2023-02-12T11:04:03.101Z");
    // CBV text: a 5 in the 4th place rounds up even when the 3rd is even (Python's round() would not).
    expect(normaliseTimestamp("2023-02-02T11:04:03.0025Z")).toBe("2023-02-02T11:04:03.003Z");
  });

  it("carries a round-up through seconds, days, months and years", () => {
    expect(normaliseTimestamp("2023-12-31T23:59:59.9995Z")).toBe("2024-01-01T00:00:00.000Z");
    expect(normaliseTimestamp("2024-02-28T23:59:59.99951Z")).toBe("2024-02-29T00:00:00.000Z");
    expect(normaliseTimestamp("2023-06-30T23:59:59.9994Z")).toBe("2023-06-30T23:59:59.999Z");
  });

  it("crosses date lines with the offset (leap years included)", () => {
    expect(normaliseTimestamp("2024-03-01T00:30:00+01:00")).toBe("2024-02-29T23:30:00.000Z");
    expect(normaliseTimestamp("2023-03-01T00:30:00+01:00")).toBe("2023-02-28T23:30:00.000Z");
    expect(normaliseTimestamp("2000-12-31T20:00:00-06:00")).toBe("2001-01-01T02:00:00.000Z");
    expect(normaliseTimestamp("0001-01-01T05:00:00+04:00")).toBe("0001-01-01T01:00:00.000Z");
  });

  it("refuses what is not an xsd:dateTimeStamp", () => {
    for (const bad of [
      "2023-01-01T00:00:00", // no offset: local time would make the hash machine-dependent
      "2023-02-29T00:00:00Z",
      "2023-13-01T00:00:00Z",
      "2023-01-01T24:00:00Z",
      "2023-01-01T23:59:60Z",
      "2023-01-01 00:00:00Z",
      "2023-01-01T00:00:00+0100",
      "0001-01-01T00:00:00+01:00", // year 0 in UTC
      "yesterday",
    ]) {
      expect(
        codeOf(() => normaliseTimestamp(bad)),
        bad,
      ).toBe("EPCIS_HASH_INVALID_TIMESTAMP");
    }
  });

  it("applies to eventTime and sensor times, not to extension or ILMD values", () => {
    const pre = preHashString(
      {
        type: "ObjectEvent",
        eventTime: "2020-01-01T01:00:00.5+01:00",
        eventTimeZoneOffset: "+01:00",
        sensorElementList: [
          {
            sensorMetadata: { time: "2020-01-01T01:00:00+01:00", startTime: "2020-01-01T00:59:00+01:00" },
            sensorReport: [{ type: "Temperature", value: 20, time: "2020-01-01T01:00:00.0004+01:00" }],
          },
        ],
        ilmd: { "example:packedAt": "2020-01-01T01:00:00+01:00" },
      },
      { example: "https://ns.example.com/epcis/" },
    );
    expect(pre).toBe(
      "eventType=ObjectEventeventTime=2020-01-01T00:00:00.500ZeventTimeZoneOffset=+01:00" +
        "sensorElementListsensorElementsensorMetadatatime=2020-01-01T00:00:00.000ZstartTime=2019-12-31T23:59:00.000Z" +
        "sensorReporttype=https://gs1.org/voc/Temperaturetime=2020-01-01T00:00:00.000Zvalue=20" +
        "ilmd{https://ns.example.com/epcis/}packedAt=2020-01-01T01:00:00+01:00",
    );
  });

  it("reports the path of a bad time", () => {
    try {
      preHashString({ type: "ObjectEvent", eventTime: "2020-01-01T00:00:00" });
      expect.fail("no error");
    } catch (e) {
      expect(e).toBeInstanceOf(EpcisHashError);
      expect((e as EpcisHashError).type.path).toBe("/eventTime");
    }
  });
});
