import { describe, expect, it } from "vitest";
import { crc32, crc32ForTests } from "./digest";

describe("CRC-32 of the integrity record", () => {
  it("is the standard CRC-32 (zlib, PNG): check value of '123456789' and of nothing", () => {
    expect(crc32(Buffer.from("123456789"))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });

  it("the JavaScript fallback gives zlib's values, also continued from an earlier value and on unaligned views", () => {
    const bytes = Uint8Array.from({ length: 4099 }, (_, i) => (i * 131 + 7) & 0xff);
    const { native, javascript } = crc32ForTests;
    expect(javascript(bytes, 0) >>> 0).toBe(crc32(bytes));
    expect(javascript(bytes.subarray(3, 1001), 0) >>> 0).toBe(crc32(bytes.subarray(3, 1001)));
    const first = crc32(bytes.subarray(0, 2000));
    expect(crc32(bytes.subarray(2000), first)).toBe(crc32(bytes));
    expect(javascript(bytes.subarray(2000), first) >>> 0).toBe(crc32(bytes));
    if (native !== undefined) expect(native(bytes, 0) >>> 0).toBe(javascript(bytes, 0) >>> 0);
  });
});
