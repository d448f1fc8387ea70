import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { ConfigurationError, ErrorCode } from "../errors";
import { useTempDir } from "../test-support/temp-dir";
import { xmlProblem } from "../test-support/xml";
import { renderChart } from "./charts/chart";
import { VEGALITE_SCHEMA_URL } from "./protocol";
import { saveFigure } from "./save-figure";

const spec = {
  $schema: VEGALITE_SCHEMA_URL,
  title: "a line",
  width: 200,
  height: 100,
  data: { values: [{ x: 0, y: 0 }, { x: 1, y: 2 }, { x: 2, y: 1 }] },
  mark: "line",
  encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" } },
};

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe("saveFigure", () => {
  const temp = useTempDir();

  it("writes a PNG of the requested width, keeping the aspect ratio, that reads back as a PNG", async () => {
    const chart = await renderChart({ spec, text: "line" });
    const target = path.join(temp(), "figs", "nested", "line.png");
    const saved = await saveFigure(chart, target, { format: "png", width: 800 });
    const bytes = fs.readFileSync(target);
    expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(pngSize(bytes)).toEqual({ width: 800, height: saved.height });
    const natural = /width="(\d+)" height="(\d+)"/.exec(chart.svg)!;
    expect(saved.height).toBe(Math.round((800 * Number(natural[2])) / Number(natural[1])));
    expect(saved).toMatchObject({ format: "png", bytes: bytes.length, path: target });
    expect(fs.readdirSync(path.dirname(target))).toEqual(["line.png"]);
  });

  it("writes an SVG that parses, at the size asked for, fitting inside width and height", async () => {
    const chart = await renderChart({ spec, text: "line" });
    const target = path.join(temp(), "line.svg");
    const saved = await saveFigure(chart, target, { width: 400, height: 100 });
    const text = fs.readFileSync(target, "utf8");
    expect(xmlProblem(text)).toBeUndefined();
    expect(saved.format).toBe("svg");
    expect(saved.height).toBe(100);
    expect(text).toContain(`width="${saved.width}" height="100"`);
    expect(text).toContain("viewBox=");
    expect(text).toContain("a line");
  });

  it("replaces an existing file in one step", async () => {
    const chart = await renderChart({ spec, text: "line" });
    const target = path.join(temp(), "again.png");
    fs.writeFileSync(target, "old");
    await saveFigure(chart, target);
    expect(fs.readFileSync(target).subarray(1, 4).toString()).toBe("PNG");
  });

  it("throws typed errors for an unknown format, a bad size and a parent that is a file", async () => {
    const chart = await renderChart({ spec, text: "line" });
    await expect(saveFigure(chart, path.join(temp(), "x.pdf"))).rejects.toThrow(ConfigurationError);
    await expect(saveFigure(chart, path.join(temp(), "x.png"), { format: "jpg" as "png" })).rejects.toThrow(/"svg" or "png"/);
    await expect(saveFigure(chart, path.join(temp(), "x.png"), { width: -3 })).rejects.toThrow(/width must be/);
    const file = path.join(temp(), "plain-file");
    fs.writeFileSync(file, "");
    const error = await saveFigure(chart, path.join(file, "sub", "x.svg")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).code).toBe(ErrorCode.CONFIGURATION);
    expect((error as Error).message).toContain("is a file, not a folder");
  });
});
