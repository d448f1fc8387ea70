import { describe, expect, expectTypeOf, it } from "vitest";
import * as fs from "fs";
import * as path from "path";
import {
  ARROW_MIME,
  HTML_MIME,
  JUPYTER_DISPLAY,
  PLAIN_MIME,
  PROGRESS_MIME,
  SESSION_MIME,
  STA_MIME,
  STA_PAYLOAD_MAX_BYTES,
  SVG_MIME,
  VEGALITE_MIME,
  VEGALITE_SCHEMA_URL,
  type ArrowBundle,
  type ArrowPayload,
  type ChartBundle,
  type MimeBundle,
  type ProgressPayload,
  type ProtocolJson,
  type SessionBundle,
  type SessionPayload,
  type SessionStepSummary,
  type StaPayload,
  type StaUnitPeak,
  type VegaLiteSpec,
} from "./protocol";

describe("display protocol", () => {
  it("names versioned mimetypes", () => {
    expect(SESSION_MIME).toBe("application/vnd.hdmea.session.v1+json");
    expect(ARROW_MIME).toBe("application/vnd.hdmea.arrow.v1+json");
    expect(PROGRESS_MIME).toBe("application/vnd.hdmea.progress.v1+json");
    expect(VEGALITE_MIME).toBe("application/vnd.vegalite.v5+json");
    expect(STA_MIME).toBe("application/vnd.hdmea.sta.v1+json");
    expect(STA_PAYLOAD_MAX_BYTES).toBe(4 * 1024 * 1024);
    expect(VEGALITE_SCHEMA_URL).toMatch(/vega-lite\/v5\.json$/);
    expect(JUPYTER_DISPLAY).toBe(Symbol.for("Jupyter.display"));
  });

  it("has no imports, so the labextension can use the file as it is", () => {
    const source = fs.readFileSync(path.join(__dirname, "protocol.ts"), "utf8");
    expect(source).not.toMatch(/^\s*import\s/m);
    expect(source).not.toMatch(/require\(/);
  });

  it("pins the payload types", () => {
    expectTypeOf<SessionPayload["schema"]>().toEqualTypeOf<1>();
    expectTypeOf<SessionPayload["seq"]>().toEqualTypeOf<number>();
    expectTypeOf<SessionPayload["saveState"]>().toEqualTypeOf<"deferred" | "saved">();
    expectTypeOf<SessionPayload["hdf5Path"]>().toEqualTypeOf<string | null>();
    expectTypeOf<SessionPayload["memory"]>().toEqualTypeOf<{
      bytes: number;
      breakdown: { units: number; metadata: number; stimulus: number };
    }>();
    // DESIGN §6: a step's parameters are an object and its warnings a list (not JSON text and a count).
    expectTypeOf<SessionStepSummary["params"]>().toEqualTypeOf<{ [key: string]: ProtocolJson }>();
    expectTypeOf<SessionStepSummary["warnings"]>().toEqualTypeOf<string[]>();
    expectTypeOf<SessionStepSummary>().not.toHaveProperty("warningCount");
    // @ts-expect-error params travel as an object, never as JSON text
    const textParams: SessionStepSummary["params"] = '{"coverRange":[-60,0]}';
    expect(typeof textParams).toBe("string");
    expectTypeOf<StaPayload["shape"]>().toEqualTypeOf<[number, number, number]>();
    expectTypeOf<StaPayload["units"]>().toEqualTypeOf<{ unitId: string; base64: string; peak?: StaUnitPeak | null }[]>();
    expectTypeOf<StaUnitPeak>().toEqualTypeOf<{ frame: number; row: number; col: number; zScore: number; polarity: 1 | -1 }>();
    expectTypeOf<SessionPayload["hdf5RelativePath"]>().toEqualTypeOf<string | null | undefined>();
    expectTypeOf<ArrowPayload["sessionId"]>().toEqualTypeOf<string | undefined>();
    expectTypeOf<ArrowPayload["unitIdColumn"]>().toEqualTypeOf<string | undefined>();
    expectTypeOf<ChartBundle[typeof STA_MIME]>().toEqualTypeOf<StaPayload | undefined>();
    expectTypeOf<ArrowPayload["encoding"]>().toEqualTypeOf<"arrow-ipc-stream">();
    expectTypeOf<ProgressPayload["total"]>().toEqualTypeOf<number | null>();

    // Every payload and bundle is plain JSON that travels in a Jupyter message.
    expectTypeOf<SessionPayload>().toMatchTypeOf<ProtocolJson>();
    expectTypeOf<ArrowPayload>().toMatchTypeOf<ProtocolJson>();
    expectTypeOf<ProgressPayload>().toMatchTypeOf<ProtocolJson>();
    expectTypeOf<StaPayload>().toMatchTypeOf<ProtocolJson>();
    expectTypeOf<SessionBundle>().toMatchTypeOf<MimeBundle>();
    expectTypeOf<ChartBundle>().toMatchTypeOf<MimeBundle>();
    expectTypeOf<ArrowBundle>().toMatchTypeOf<MimeBundle>();

    expectTypeOf<ChartBundle[typeof VEGALITE_MIME]>().toEqualTypeOf<VegaLiteSpec>();
    expectTypeOf<ChartBundle[typeof SVG_MIME]>().toEqualTypeOf<string>();
    expectTypeOf<SessionBundle[typeof HTML_MIME]>().toEqualTypeOf<string>();
    expectTypeOf<ArrowBundle[typeof PLAIN_MIME]>().toEqualTypeOf<string>();
    // A chart bundle has no text/html slot: HTML would outrank the chart in JupyterLab.
    expectTypeOf<ChartBundle>().not.toHaveProperty(HTML_MIME);
    // @ts-expect-error schema 2 is not this protocol
    const wrong: SessionPayload["schema"] = 2;
    expect(wrong).toBe(2);
  });
});
