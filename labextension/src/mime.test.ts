import { describe, expect, it } from "vitest";
import extensions from "./mime";
import { ARROW_MIME, PROGRESS_MIME, SESSION_MIME, STA_MIME } from "./protocol";

describe("mime extension", () => {
  it("registers a safe renderer for every hdmea mimetype, ranked ahead of text/html (50) and vega-lite (57)", () => {
    expect(extensions.flatMap((e) => e.rendererFactory.mimeTypes).sort()).toEqual([ARROW_MIME, PROGRESS_MIME, SESSION_MIME, STA_MIME].sort());
    for (const extension of extensions) {
      expect(extension.rendererFactory.safe).toBe(true);
      expect(extension.rank).toBeLessThan(50);
      expect(extension.rendererFactory.defaultRank).toBeLessThan(50);
      expect(extension.dataType).toBe("json");
    }
    expect(new Set(extensions.map((e) => e.id)).size).toBe(extensions.length);
  });
});
