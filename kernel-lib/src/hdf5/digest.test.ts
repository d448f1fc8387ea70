import * as crypto from "crypto";
import { describe, expect, it } from "vitest";
import { CHECKSUM_SCHEMES, checksumHex, crc32, crc32ForTests, CRC32_V1, CURRENT_SCHEME, DIGEST_V2, LARGE_VALUE_BYTES } from "./digest";

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

describe("checksum schemes of the integrity record", () => {
  const bytes = Uint8Array.from({ length: 3 * LARGE_VALUE_BYTES + 5 }, (_, i) => (i * 197 + 11) & 0xff);

  it("v1 is the CRC-32 of every value, whatever its size", () => {
    expect(checksumHex(CRC32_V1, bytes)).toBe(crc32(bytes).toString(16).padStart(8, "0"));
    expect(checksumHex(CRC32_V1, Buffer.from("123456789"))).toBe("cbf43926");
  });

  it("v2 is the CRC-32 below 16 KiB and the AES-128-GCM tag (zero key and nonce, the values as associated data) from there on", () => {
    const small = bytes.subarray(0, LARGE_VALUE_BYTES - 1);
    expect(checksumHex(DIGEST_V2, small)).toBe(checksumHex(CRC32_V1, small));
    const large = bytes.subarray(0, LARGE_VALUE_BYTES);
    const cipher = crypto.createCipheriv("aes-128-gcm", Buffer.alloc(16), Buffer.alloc(12));
    cipher.setAAD(large);
    cipher.final();
    expect(checksumHex(DIGEST_V2, large)).toBe(cipher.getAuthTag().toString("hex"));
    // NIST GCM test case 1 (zero key, zero IV, nothing to authenticate): the construction is the standard one.
    expect(DIGEST_V2.start(LARGE_VALUE_BYTES).hex()).toBe("58e2fccefa7e3061367f1d57a4e7455a");
  });

  it("a value checksummed piece by piece gives its whole checksum; one changed byte changes it", () => {
    for (const scheme of [CRC32_V1, DIGEST_V2]) {
      const running = scheme.start(bytes.byteLength);
      for (const cut of [[0, 7], [7, 20_000], [20_000, bytes.length]]) running.update(bytes.subarray(cut[0], cut[1]));
      expect(running.hex(), scheme.format).toBe(checksumHex(scheme, bytes));
      const damaged = Uint8Array.from(bytes);
      damaged[30_001] ^= 0x10;
      expect(checksumHex(scheme, damaged), scheme.format).not.toBe(checksumHex(scheme, bytes));
    }
    expect([...CHECKSUM_SCHEMES.keys()].sort()).toEqual(["hdmea-crc32-v1", "hdmea-digest-v2"]);
    expect(CURRENT_SCHEME).toBe(DIGEST_V2);
  });
});
