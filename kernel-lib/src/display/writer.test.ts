import { describe, expect, it } from "vitest";
import { HTML_MIME, PLAIN_MIME, SESSION_MIME, SVG_MIME, VEGALITE_MIME, type MimeBundle } from "./protocol";
import {
  RecordingSink,
  defaultDisplayWriter,
  selectDisplayWriter,
  singleMimeOutputs,
  writeBundle,
  type TslabJupyterModule,
} from "./writer";

// Fakes of the running kernel's tslab: the one legitimate place for them (the real kernel is tested end to end by
// the notebook tests). They record what tslab would turn into iopub messages.
type Sent = { kind: "bundle" | "raw"; data: MimeBundle; displayId?: string; update: boolean };

function fakeTslab(options: { withInternal: boolean; internalReady?: boolean; withPublic?: boolean }) {
  const sent: Sent[] = [];
  const jupyter: TslabJupyterModule = {
    lastWriteDisplayData:
      options.internalReady === false
        ? null
        : (message, update) => sent.push({ kind: "bundle", data: message.data, displayId: message.transient.display_id, update: !!update }),
  };
  let nextId = 0;
  const makeDisplay = (id?: string) => {
    let shown = false;
    return {
      raw(contentType: string, value: string | Uint8Array) {
        const update = id !== undefined && shown;
        if (id !== undefined) shown = true;
        sent.push({ kind: "raw", data: { [contentType]: value as string }, displayId: id, update });
      },
    };
  };
  const publicModule = options.withPublic === false ? {} : { display: makeDisplay(), newDisplay: () => makeDisplay(`random-${nextId++}`) };
  const requireCache: Record<string, { exports?: unknown }> = {
    "/k/node_modules/tslab/dist/public.js": { exports: publicModule },
    "/k/node_modules/other/index.js": { exports: {} },
  };
  if (options.withInternal) requireCache["/k/node_modules/tslab/dist/jupyter.js"] = { exports: jupyter };
  const globalObject = { __tslab__: { require: (id: string) => (id === "tslab" ? publicModule : undefined) } };
  return { sent, requireCache, globalObject, jupyter };
}

const bundle: MimeBundle = {
  [SESSION_MIME]: { schema: 1, seq: 1 },
  [HTML_MIME]: "<table></table>",
  [PLAIN_MIME]: "session",
};

describe("selectDisplayWriter", () => {
  it("records outside a kernel", () => {
    const writer = selectDisplayWriter({ globalObject: {}, requireCache: {} });
    expect(writer.kind).toBe("recording");
    expect(writer.inKernel).toBe(false);
  });

  it("uses tslab's internal bundle writer when dist/jupyter.js has it", () => {
    const fake = fakeTslab({ withInternal: true });
    const writer = selectDisplayWriter(fake);
    expect(writer.kind).toBe("tslab-bundle");
    writer.write(bundle, { displayId: "hdmea-session-a" });
    writer.write(bundle, { displayId: "hdmea-session-a", update: true });
    expect(fake.sent).toEqual([
      { kind: "bundle", data: bundle, displayId: "hdmea-session-a", update: false },
      { kind: "bundle", data: bundle, displayId: "hdmea-session-a", update: true },
    ]);
  });

  it("reads the internal writer at every write, since tslab rebinds it per execution", () => {
    const fake = fakeTslab({ withInternal: true });
    const writer = selectDisplayWriter(fake);
    const later: MimeBundle[] = [];
    fake.jupyter.lastWriteDisplayData = (message) => later.push(message.data);
    writer.write(bundle);
    expect(later).toEqual([bundle]);
    expect(fake.sent).toEqual([]);
  });

  it("falls back to single-mime raw calls when the internal writer is missing", () => {
    const fake = fakeTslab({ withInternal: false });
    const writer = selectDisplayWriter(fake);
    expect(writer.kind).toBe("tslab-single-mime");
    writer.write(bundle);
    expect(fake.sent.map((s) => Object.keys(s.data)[0])).toEqual([SESSION_MIME, HTML_MIME]);
    expect(fake.sent[0].data[SESSION_MIME]).toEqual({ schema: 1, seq: 1 });
  });

  it("falls back per call while the internal writer is not ready", () => {
    const fake = fakeTslab({ withInternal: true, internalReady: false });
    const writer = selectDisplayWriter(fake);
    expect(writer.kind).toBe("tslab-bundle");
    writer.write(bundle);
    expect(fake.sent.every((s) => s.kind === "raw")).toBe(true);
    expect(fake.sent).toHaveLength(2);
  });

  it("keeps display ids working in the single-mime fallback: the first write shows, later ones update", () => {
    const fake = fakeTslab({ withInternal: false });
    const writer = selectDisplayWriter(fake);
    writer.write(bundle, { displayId: "hdmea-session-a" });
    writer.write({ ...bundle, [PLAIN_MIME]: "v2" }, { displayId: "hdmea-session-a", update: true });
    expect(fake.sent.map((s) => [Object.keys(s.data)[0], s.update])).toEqual([
      [SESSION_MIME, false],
      [HTML_MIME, false],
      [SESSION_MIME, true],
      [HTML_MIME, true],
    ]);
    // Same tslab handle (so the same frontend output) for the same mimetype.
    expect(fake.sent[0].displayId).toBe(fake.sent[2].displayId);
    expect(fake.sent[1].displayId).toBe(fake.sent[3].displayId);
  });

  it("records when __tslab__ cannot give tslab", () => {
    const writer = selectDisplayWriter({
      globalObject: { __tslab__: { require: () => { throw new Error("no tslab"); } } },
      requireCache: {},
    });
    expect(writer.kind).toBe("recording");
  });

  it("uses the internal writer even without the public API", () => {
    const fake = fakeTslab({ withInternal: true, withPublic: false });
    expect(selectDisplayWriter(fake).kind).toBe("tslab-bundle");
  });
});

describe("singleMimeOutputs", () => {
  it("keeps the primary mimetype and the best static fallback", () => {
    expect(singleMimeOutputs({ [VEGALITE_MIME]: { $schema: "x" }, [SVG_MIME]: "<svg/>", [PLAIN_MIME]: "c" })).toEqual([VEGALITE_MIME, SVG_MIME]);
    expect(singleMimeOutputs({ [PLAIN_MIME]: "only" })).toEqual([PLAIN_MIME]);
    expect(singleMimeOutputs({})).toEqual([]);
  });
});

describe("RecordingSink", () => {
  it("records display and update messages and stays bounded", () => {
    const sink = new RecordingSink({ maxMessages: 2 });
    sink.write(bundle, { displayId: "d" });
    sink.write(bundle, { displayId: "d", update: true });
    sink.write(bundle, { update: true });
    expect(sink.messages.map((m) => [m.type, m.displayId])).toEqual([
      ["update_display_data", "d"],
      ["display_data", null],
    ]);
    sink.clear();
    expect(sink.messages).toHaveLength(0);
  });

  it("is the default writer outside a kernel, and writeBundle uses an injected writer first", () => {
    expect(defaultDisplayWriter().kind).toBe("recording");
    expect(defaultDisplayWriter()).toBe(defaultDisplayWriter());
    const sink = new RecordingSink();
    writeBundle(bundle, { writer: sink, displayId: "x" });
    expect(sink.messages).toEqual([{ type: "display_data", data: bundle, displayId: "x" }]);
  });
});
