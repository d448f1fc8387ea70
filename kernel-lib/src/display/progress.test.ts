import { describe, expect, it } from "vitest";
import { PassThrough } from "stream";
import { PLAIN_MIME, PROGRESS_MIME, type ProgressBundle } from "./protocol";
import { progressText, startProgress } from "./progress";
import { RecordingSink } from "./writer";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const payloads = (sink: RecordingSink) => sink.messages.map((m) => (m.data as ProgressBundle)[PROGRESS_MIME]);

describe("progress display", () => {
  it("shows one display per task and updates it in place, always ending with the final state", () => {
    const sink = new RecordingSink();
    const progress = startProgress({ label: "eimage STA", total: 1000, taskId: "t1", writer: sink, minIntervalMs: 10_000 });
    for (let i = 1; i <= 1000; i++) progress.update(i);
    progress.finish("1000 units");
    progress.update(5); // ignored after the end
    expect(sink.messages.map((m) => [m.type, m.displayId])).toEqual([
      ["display_data", "hdmea-progress-t1"],
      ["update_display_data", "hdmea-progress-t1"],
    ]);
    for (const message of sink.messages) expect(Object.keys(message.data).sort()).toEqual([PLAIN_MIME, PROGRESS_MIME].sort());
    const last = payloads(sink)[1];
    expect(last).toMatchObject({ schema: 1, taskId: "t1", label: "eimage STA", state: "done", done: 1000, total: 1000, fraction: 1, message: "1000 units" });
    expect(last.seq).toBeGreaterThan(payloads(sink)[0].seq);
    expect((sink.messages[1].data as ProgressBundle)[PLAIN_MIME]).toMatch(/^eimage STA · \[#{20}\] 100% \(1000\/1000\) · .* · done · 1000 units$/);
  });

  it("sends at most about one update per interval while running, and the latest state after a pause", async () => {
    const sink = new RecordingSink();
    const progress = startProgress({ label: "loading", total: 100, writer: sink, minIntervalMs: 40 });
    const started = performance.now();
    let done = 0;
    while (performance.now() - started < 200) {
      progress.update(++done);
      await sleep(2);
    }
    await sleep(60);
    const running = payloads(sink);
    // 200 ms at one update per 40 ms: about 5, plus the first display and the trailing one.
    expect(running.length).toBeLessThanOrEqual(8);
    expect(running.length).toBeGreaterThanOrEqual(3);
    expect(running[running.length - 1].done).toBe(done);
    progress.fail(new Error("disk full"));
    const last = payloads(sink)[payloads(sink).length - 1];
    expect(last).toMatchObject({ state: "failed", message: "disk full" });
  });

  it("reports unknown totals without a fraction", () => {
    const sink = new RecordingSink();
    const progress = startProgress({ label: "chunks", writer: sink, minIntervalMs: 0 });
    progress.advance();
    progress.advance(2, "chunk 3");
    const last = progress.lastPayload;
    expect(last).toMatchObject({ done: 3, total: null, fraction: null, etaMs: null, message: "chunk 3" });
    expect(progressText(last)).toMatch(/^chunks · 3 done · \d+ ms · chunk 3$/);
  });

  it("draws a text bar on a terminal stream, rewriting one line", () => {
    const writes: string[] = [];
    const progress = startProgress({ label: "load", total: 4, output: "stderr", stream: { isTTY: true, write: (t: string) => writes.push(t) }, minIntervalMs: 0 });
    progress.update(2);
    progress.finish();
    expect(writes).toHaveLength(3);
    expect(writes[1]).toMatch(/^\r\u001b\[2Kload · \[#{10}-{10}\] 50% \(2\/4\)/);
    expect(writes[2].endsWith("\n")).toBe(true);
  });

  it("is silent outside a kernel when nothing asks for output (tests, piped runs)", async () => {
    const stream = new PassThrough();
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    const progress = startProgress({ label: "quiet", total: 2, stream });
    progress.update(1);
    progress.finish();
    await sleep(5);
    expect(Buffer.concat(chunks).length).toBe(0);
    expect(progress.lastPayload.state).toBe("done");
  });

  it("writes plain lines to a non-terminal stream when asked", () => {
    const stream = new PassThrough();
    const progress = startProgress({ label: "batch", total: 2, output: "stderr", stream });
    progress.finish();
    const text = String(stream.read());
    expect(text.split("\n").filter(Boolean)).toHaveLength(2);
    expect(text).not.toContain("\r");
  });
});

