/**
 * The one injectable output function of hdmea's displays (STYLE §2.6 habit 2). Inside a tslab kernel it writes whole
 * mime bundles through tslab's internal display writer (reached via `globalThis.__tslab__`, reference
 * jupyter-integration §A4/§A8); when that internal is missing it falls back to tslab's public one-mimetype-per-call
 * API; outside a kernel a {@link RecordingSink} keeps the bundles so tests and scripts can look at them.
 *
 *   selectDisplayWriter: __tslab__? ─no──────────────────────────────▶ RecordingSink
 *                          │yes
 *                        dist/jupyter.js has lastWriteDisplayData? ─yes─▶ TslabBundleWriter (falls back per call)
 *                          │no
 *                        tslab.display.raw / newDisplay? ─yes─▶ TslabSingleMimeWriter
 */
import * as path from "path";
import { PLAIN_MIME, HTML_MIME, SVG_MIME, type MimeBundle, type ProtocolJson } from "./protocol";

/** The Jupyter message a write becomes. */
export type DisplayMessageType = "display_data" | "update_display_data";

/** One recorded write, shaped like the Jupyter message it stands for. */
export interface DisplayMessage {
  readonly type: DisplayMessageType;
  readonly data: MimeBundle;
  readonly displayId: string | null;
}

/** Options of {@link DisplayWriter.write}. */
export interface WriteOptions {
  /** Display id; later writes with `update: true` and the same id replace this output in place. */
  displayId?: string;
  /** Send `update_display_data` (replacing every output with `displayId`) instead of a new `display_data`. */
  update?: boolean;
}

/** How a writer reaches the frontend. */
export type DisplayWriterKind = "tslab-bundle" | "tslab-single-mime" | "recording";

/** Where displays go. Every hdmea display function takes one as its `writer` option. */
export interface DisplayWriter {
  readonly kind: DisplayWriterKind;
  /** True when the writes reach a Jupyter frontend. */
  readonly inKernel: boolean;
  write(bundle: MimeBundle, options?: WriteOptions): void;
}

/** Options of {@link RecordingSink}. */
export interface RecordingSinkOptions {
  /** Oldest messages are dropped beyond this many, so a long script cannot grow without bound. Default 1000. */
  maxMessages?: number;
}

/** A writer that keeps every message it is given (the writer outside a kernel, and the spy of tests). */
export class RecordingSink implements DisplayWriter {
  readonly kind = "recording" as const;
  readonly inKernel = false;
  private readonly _messages: DisplayMessage[] = [];
  private readonly maxMessages: number;

  constructor(options: RecordingSinkOptions = {}) {
    this.maxMessages = options.maxMessages ?? 1000;
  }

  /** The messages in the order they were written. */
  get messages(): readonly DisplayMessage[] {
    return this._messages;
  }

  write(bundle: MimeBundle, options: WriteOptions = {}): void {
    this._messages.push(toMessage(bundle, options));
    if (this._messages.length > this.maxMessages) this._messages.splice(0, this._messages.length - this.maxMessages);
  }

  clear(): void {
    this._messages.length = 0;
  }
}

/** The part of tslab's `dist/jupyter.js` used here: its current display writer (rebound for every execution). */
export interface TslabJupyterModule {
  lastWriteDisplayData?:
    | ((message: { data: MimeBundle; metadata: Record<string, ProtocolJson>; transient: { display_id?: string } }, update?: boolean) => void)
    | null;
}

/** The part of tslab's public module used by the single-mimetype fallback. */
export interface TslabPublicModule {
  display?: { raw?: (contentType: string, value: string | Uint8Array) => void };
  newDisplay?: () => { raw(contentType: string, value: string | Uint8Array): void };
}

/** Writes whole bundles through tslab's internal writer; any write it cannot make goes to `fallback`. */
export class TslabBundleWriter implements DisplayWriter {
  readonly kind = "tslab-bundle" as const;
  readonly inKernel = true;

  constructor(
    private readonly jupyter: TslabJupyterModule,
    private readonly fallback: DisplayWriter | undefined,
  ) {}

  write(bundle: MimeBundle, options: WriteOptions = {}): void {
    // Read the function at every write: tslab replaces it for each execute request, so output lands in the
    // cell that is running now.
    const writeDisplayData = this.jupyter.lastWriteDisplayData;
    if (typeof writeDisplayData !== "function") {
      this.fallback?.write(bundle, options);
      return;
    }
    const message = toMessage(bundle, options);
    writeDisplayData(
      { data: bundle, metadata: {}, transient: message.displayId === null ? {} : { display_id: message.displayId } },
      message.type === "update_display_data",
    );
  }
}

type TslabDisplay = { raw(contentType: string, value: string | Uint8Array): void };

/** Static fallbacks in the order a viewer without the extension prefers them. */
const STATIC_FALLBACKS = [SVG_MIME, "image/png", HTML_MIME, PLAIN_MIME];

/**
 * Writes through tslab's public API, which sends one mimetype per message: the bundle's first (primary) mimetype and
 * its best static fallback become two outputs (reference §A8). Display ids map to tslab `newDisplay()` handles.
 */
export class TslabSingleMimeWriter implements DisplayWriter {
  readonly kind = "tslab-single-mime" as const;
  readonly inKernel = true;
  /** displayId → the handle sets of every output shown under that id (one handle per mimetype). */
  private readonly displays = new Map<string, Map<string, TslabDisplay>[]>();

  constructor(private readonly tslab: TslabPublicModule) {}

  write(bundle: MimeBundle, options: WriteOptions = {}): void {
    const mimes = singleMimeOutputs(bundle);
    const message = toMessage(bundle, options);
    if (message.displayId === null) {
      for (const mime of mimes) this.tslab.display?.raw?.(mime, asRawValue(bundle[mime]));
      return;
    }
    const sets = this.displays.get(message.displayId) ?? [];
    if (message.type === "display_data" || sets.length === 0) {
      const handles = new Map<string, TslabDisplay>();
      for (const mime of mimes) {
        const handle = this.tslab.newDisplay?.();
        if (handle) handles.set(mime, handle);
      }
      sets.push(handles);
      this.displays.set(message.displayId, sets);
    }
    // The first raw() of a handle shows it, later ones update it; every output under the id gets the update.
    for (const handles of sets) for (const [mime, handle] of handles) if (mime in bundle) handle.raw(mime, asRawValue(bundle[mime]));
  }
}

/** The mimetypes the single-mimetype fallback sends: the primary one and one static fallback. */
export function singleMimeOutputs(bundle: MimeBundle): string[] {
  const mimes = Object.keys(bundle);
  if (mimes.length === 0) return [];
  const primary = mimes[0];
  const fallback = STATIC_FALLBACKS.find((mime) => mime !== primary && mime in bundle);
  return fallback === undefined ? [primary] : [primary, fallback];
}

/** Where {@link selectDisplayWriter} looks; both default to the real process. */
export interface SelectDisplayWriterOptions {
  /** The object that may hold `__tslab__`. Default `globalThis`. */
  globalObject?: object;
  /** The module cache to find tslab's `dist/jupyter.js` in. Default `require.cache`. */
  requireCache?: Readonly<Record<string, { exports?: unknown } | undefined>>;
}

/** Picks the writer for the current process (see the diagram at the top of this file). */
export function selectDisplayWriter(options: SelectDisplayWriterOptions = {}): DisplayWriter {
  const globalObject = (options.globalObject ?? globalThis) as { __tslab__?: unknown };
  const requireCache = options.requireCache ?? require.cache;
  const handle = globalObject.__tslab__ as { require?: unknown } | undefined;
  if (typeof handle !== "object" || handle === null || typeof handle.require !== "function") return new RecordingSink();
  let tslab: unknown;
  try {
    tslab = (handle.require as (id: string) => unknown)("tslab");
  } catch {
    return new RecordingSink();
  }
  const single = hasSingleMimeApi(tslab) ? new TslabSingleMimeWriter(tslab) : undefined;
  const jupyter = findTslabJupyterModule(tslab, requireCache);
  if (jupyter) return new TslabBundleWriter(jupyter, single);
  return single ?? new RecordingSink();
}

// A lazily cached library handle: the writer belongs to the tslab instance it was found for.
let cachedDefault: { handle: unknown; writer: DisplayWriter } | undefined;

/**
 * The writer hdmea's displays use unless given one: tslab's in a kernel, otherwise one shared
 * {@link RecordingSink} (its last 1000 messages are kept).
 */
export function defaultDisplayWriter(): DisplayWriter {
  const handle = (globalThis as { __tslab__?: unknown }).__tslab__;
  if (cachedDefault === undefined || cachedDefault.handle !== handle) cachedDefault = { handle, writer: selectDisplayWriter() };
  return cachedDefault.writer;
}

/** Writes `bundle` with `writer` (default {@link defaultDisplayWriter}). */
export function writeBundle(bundle: MimeBundle, options: WriteOptions & { writer?: DisplayWriter } = {}): void {
  const { writer, ...writeOptions } = options;
  (writer ?? defaultDisplayWriter()).write(bundle, writeOptions);
}

function toMessage(bundle: MimeBundle, options: WriteOptions): DisplayMessage {
  const displayId = options.displayId ?? null;
  return { type: options.update && displayId !== null ? "update_display_data" : "display_data", data: bundle, displayId };
}

function hasSingleMimeApi(tslab: unknown): tslab is TslabPublicModule {
  const candidate = tslab as TslabPublicModule | null;
  return typeof candidate === "object" && candidate !== null && typeof candidate.display?.raw === "function" && typeof candidate.newDisplay === "function";
}

/** tslab's `dist/jupyter.js` next to the running tslab module, or any loaded one that has the display writer slot. */
function findTslabJupyterModule(
  tslab: unknown,
  requireCache: Readonly<Record<string, { exports?: unknown } | undefined>>,
): TslabJupyterModule | undefined {
  const hasWriterSlot = (exports: unknown): exports is TslabJupyterModule =>
    typeof exports === "object" && exports !== null && "lastWriteDisplayData" in exports;
  const entries = Object.entries(requireCache);
  const own = entries.find(([, module]) => module?.exports === tslab);
  if (own) {
    const sibling = requireCache[path.join(path.dirname(own[0]), "jupyter.js")]?.exports;
    if (hasWriterSlot(sibling)) return sibling;
  }
  const anyJupyter = entries.find(([file, module]) => /[\\/]tslab[\\/]dist[\\/]jupyter\.js$/.test(file) && hasWriterSlot(module?.exports));
  return anyJupyter ? (anyJupyter[1]?.exports as TslabJupyterModule) : undefined;
}

/** tslab's `raw` is typed for strings and bytes but sends objects as JSON objects (reference §A4), which we need. */
function asRawValue(value: ProtocolJson | undefined): string | Uint8Array {
  return value as unknown as string;
}
