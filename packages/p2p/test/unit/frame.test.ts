import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  channelId,
  defaultP2POptions,
  encodeFrame,
  type Frame,
  FrameDecoder,
  HANDSHAKE_CHANNEL,
  HANDSHAKE_MAX_BYTES,
  P2PError,
} from "../../src/index.js";

const limits = { consensus: 1024, mempool: 256, sync: 4096 };

function decodeAll(chunks: Uint8Array[]): Frame[] {
  const decoder = new FrameDecoder(limits);
  return chunks.flatMap((chunk) => decoder.push(chunk));
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof P2PError ? e.code : `not a P2PError: ${String(e)}`;
  }
  return undefined;
}

function header(length: number, id: number): Buffer {
  const h = Buffer.alloc(5);
  h.writeUInt32BE(length, 0);
  h.writeUInt8(id, 4);
  return h;
}

const json = fc.jsonValue({ maxDepth: 3 }).filter((v) => JSON.stringify(v).length < 200);
const frames = fc.array(
  fc.record({ channelId: fc.constantFrom(HANDSHAKE_CHANNEL, 1, 2, 3), message: json }),
  { minLength: 1, maxLength: 8 },
);

describe("frame codec", () => {
  it("round-trips a frame on each channel, header = length of the rest + channel id", () => {
    const message = { type: "vote", height: 7, text: "héllo ✓", list: [1, null, true] };
    for (const channel of ["consensus", "mempool", "sync"] as const) {
      const bytes = encodeFrame(channelId(channel), message);
      expect(bytes.readUInt32BE(0)).toBe(bytes.length - 4);
      expect(bytes[4]).toBe(channelId(channel));
      expect(decodeAll([bytes])).toEqual([{ channelId: channelId(channel), message }]);
    }
    expect([channelId("consensus"), channelId("mempool"), channelId("sync")]).toEqual([1, 2, 3]);
  });

  it("decodes a multi-frame stream the same however it is split", () => {
    fc.assert(
      fc.property(frames, fc.array(fc.nat(), { maxLength: 12 }), (list, cuts) => {
        const stream = Buffer.concat(list.map((f) => encodeFrame(f.channelId, f.message)));
        const points = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
        const chunks: Buffer[] = [];
        let from = 0;
        for (const p of [...points, stream.length]) {
          chunks.push(stream.subarray(from, p));
          from = p;
        }
        // JSON round trip normalises -0 and the like, exactly as the wire does.
        expect(decodeAll(chunks)).toEqual(JSON.parse(JSON.stringify(list)));
      }),
    );
  });

  it("decodes byte by byte", () => {
    const stream = Buffer.concat([encodeFrame(1, { a: 1 }), encodeFrame(3, "x"), encodeFrame(2, [])]);
    const chunks = [...stream].map((b) => Uint8Array.of(b));
    expect(decodeAll(chunks).map((f) => f.message)).toEqual([{ a: 1 }, "x", []]);
  });

  it("refuses an oversize frame from its header alone, per channel limit", () => {
    const decoder = new FrameDecoder(limits);
    expect(decoder.push(header(258, 2).subarray(0, 4))).toEqual([]); // not enough to judge yet
    expect(codeOf(() => decoder.push(header(258, 2).subarray(4)))).toBe("P2P_FRAME_TOO_LARGE");
    // stays failed
    expect(codeOf(() => decoder.push(encodeFrame(1, 1)))).toBe("P2P_FRAME_TOO_LARGE");
    // exactly at the limit is fine: 256 payload bytes on mempool
    const ok = encodeFrame(2, "x".repeat(254));
    expect(ok.length - 5).toBe(256);
    expect(decodeAll([ok])).toHaveLength(1);
    expect(codeOf(() => new FrameDecoder(limits).push(header(0xffffffff, 3)))).toBe("P2P_FRAME_TOO_LARGE");
    expect(codeOf(() => new FrameDecoder(limits).push(header(HANDSHAKE_MAX_BYTES + 2, 0)))).toBe(
      "P2P_FRAME_TOO_LARGE",
    );
  });

  it("refuses to encode what the peer would refuse", () => {
    expect(codeOf(() => encodeFrame(2, "x".repeat(300), limits.mempool))).toBe("P2P_FRAME_TOO_LARGE");
    expect(codeOf(() => encodeFrame(1, 1n))).toBe("P2P_UNENCODABLE_MESSAGE");
    expect(codeOf(() => encodeFrame(1, undefined))).toBe("P2P_UNENCODABLE_MESSAGE");
    expect(codeOf(() => channelId("gossip" as "sync"))).toBe("P2P_UNKNOWN_CHANNEL");
  });

  it("refuses an unknown channel id", () => {
    expect(codeOf(() => decodeAll([header(3, 4), Buffer.from("{}")]))).toBe("P2P_UNKNOWN_CHANNEL");
    expect(codeOf(() => decodeAll([header(3, 255)]))).toBe("P2P_UNKNOWN_CHANNEL");
  });

  it("refuses a payload that is not UTF-8 JSON, and a zero length", () => {
    const bad = (payload: Buffer) => Buffer.concat([header(payload.length + 1, 1), payload]);
    expect(codeOf(() => decodeAll([bad(Buffer.from("{nope"))]))).toBe("P2P_MALFORMED_FRAME");
    expect(codeOf(() => decodeAll([bad(Buffer.from([0x22, 0xff, 0x22]))]))).toBe("P2P_MALFORMED_FRAME");
    expect(codeOf(() => decodeAll([bad(Buffer.alloc(0))]))).toBe("P2P_MALFORMED_FRAME");
    expect(codeOf(() => decodeAll([header(0, 1)]))).toBe("P2P_MALFORMED_FRAME");
  });

  it("defaults allow large sync frames and smaller mempool frames", () => {
    const decoder = new FrameDecoder(defaultP2POptions.maxFrameBytes);
    expect(decoder.push(header(100 * 1024 * 1024, 3))).toEqual([]);
    expect(
      codeOf(() => new FrameDecoder(defaultP2POptions.maxFrameBytes).push(header(9 * 1024 * 1024, 2))),
    ).toBe("P2P_FRAME_TOO_LARGE");
  });
});
