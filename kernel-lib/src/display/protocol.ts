/**
 * The display protocol between the hdmea kernel library and any frontend (DESIGN §6): mimetypes, payload shapes and
 * limits. Types and constants only, with no imports: the JupyterLab extension imports this file (built, as
 * `hdmea/dist/display/protocol`) for its types and constants, so the two sides cannot drift. Changing a payload in a
 * way old frontends would misread means a new `schema` number (and a new `.v2+json` mimetype).
 *
 * History of schema 1 (no change below made old frontends misread a bundle, so none bumped the schema):
 * - session steps carry `params` as an object (summarised) and their own `warnings` list, as DESIGN §6 says; the first
 *   kernel release sent `params` as JSON text and a `warningCount` instead.
 * - session payloads carry `hdf5RelativePath` and `outputDir` (optional: older kernels did not send them), so the
 *   panel's inserted cells use paths relative to the notebook; session ids became `<dataset>-<n>` (`sessionById`).
 * - STA units carry the kernel's robust `peak` (`staPeak`, one definition for the viewer and the units table), and
 *   Arrow payloads may name the `sessionId` and `unitIdColumn` of a units table (a click opens the unit's page).
 * - {@link STA_MIME} added: STA charts may carry the STA frames of every unit beside the vega-lite spec and the SVG.
 *   A frontend that does not know the mimetype ignores it and shows the chart (JupyterLab) or the SVG (GitHub,
 *   nbviewer, nbconvert); the hdmea extension ranks its STA viewer ahead of both.
 */

/** Version number carried by every hdmea payload. */
export const PROTOCOL_SCHEMA = 1;

/** The live session card (one display per session, updated in place). */
export const SESSION_MIME = "application/vnd.hdmea.session.v1+json";
/** An Arrow table as a base64 IPC stream. */
export const ARROW_MIME = "application/vnd.hdmea.arrow.v1+json";
/** Progress of one long-running task. */
export const PROGRESS_MIME = "application/vnd.hdmea.progress.v1+json";
/**
 * The STA frames of the units of one session, for an interactive STA viewer (frame slider, unit picker). Only ever
 * an addition to a chart bundle, whose vega-lite spec and SVG stay the fallback.
 */
export const STA_MIME = "application/vnd.hdmea.sta.v1+json";
/** A batch (or parameter sweep) being watched: per-recording state, failures with their errors; updated in place. */
export const BATCH_MIME = "application/vnd.hdmea.batch.v1+json";
/** A vega-lite v5 spec, always sent as a JSON object (a string would be fetched as a URL by JupyterLab). */
export const VEGALITE_MIME = "application/vnd.vegalite.v5+json";
export const SVG_MIME = "image/svg+xml";
export const HTML_MIME = "text/html";
export const PLAIN_MIME = "text/plain";

/** `$schema` of every vega-lite spec hdmea emits (JupyterLab 4.6 compiles it with vega-lite 5.6). */
export const VEGALITE_SCHEMA_URL = "https://vega.github.io/schema/vega-lite/v5.json";

/** Upper bound of a whole session bundle (payload + HTML + text), in bytes of UTF-8 JSON. */
export const SESSION_BUNDLE_MAX_BYTES = 64 * 1024;
/** Default upper bound of the base64 Arrow data in a table bundle. */
export const ARROW_BUNDLE_MAX_BYTES = 4 * 1024 * 1024;
/** Upper bound of an STA payload (its base64 frames); a chart whose STAs need more is sent without it. */
export const STA_PAYLOAD_MAX_BYTES = 4 * 1024 * 1024;

/** Display ids of session cards are this prefix followed by the session id. */
export const SESSION_DISPLAY_ID_PREFIX = "hdmea-session-";
/** Display ids of progress displays are this prefix followed by the task id. */
export const PROGRESS_DISPLAY_ID_PREFIX = "hdmea-progress-";
/** Display id prefix of a batch or sweep display (`hdmea-batch-<batchId>-<call>`: one display per run/status/submit). */
export const BATCH_DISPLAY_ID_PREFIX = "hdmea-batch-";
/** Most recordings (or sweep settings) one batch payload lists; the rest are counted only. */
export const BATCH_PAYLOAD_MAX_ITEMS = 2000;

/** The symbol objects implement to display themselves in kernels that look for it (Deno, hdmea's own helpers). */
export const JUPYTER_DISPLAY = Symbol.for("Jupyter.display");

/** Any JSON value, as it travels in a Jupyter message. */
export type ProtocolJson = null | boolean | number | string | ProtocolJson[] | { [key: string]: ProtocolJson };

/** A Jupyter mime bundle: mimetype → data (string or JSON object). */
export type MimeBundle = { [mimeType: string]: ProtocolJson };

/** One step record as the session card shows it. */
export type SessionStepSummary = {
  name: string;
  status: "started" | "completed" | "failed";
  /** ISO time the step started. */
  startedAt: string;
  /** Wall time in ms; null while the step runs. */
  durationMs: number | null;
  /**
   * The step's parameters as recorded, summarised to stay small: long texts are cut (ending in "…"), long arrays
   * keep their first items and end with a `"… N more"` text, deep or large values become a short text.
   */
  params: { [key: string]: ProtocolJson };
  /** The step's most recent warnings (each shortened), oldest first. */
  warnings: string[];
  /** Warnings of this step left out of `warnings` (the oldest ones). */
  warningsOmitted: number;
  /** Error message of a failed step (shortened). */
  error?: string;
};

/** Payload of {@link SESSION_MIME}: a bounded summary of a session, never its data. */
export type SessionPayload = {
  schema: 1;
  sessionId: string;
  datasetId: string;
  /** Grows with every bundle built in this process (microseconds since the epoch, strictly increasing per card). */
  seq: number;
  saveState: "deferred" | "saved";
  hdf5Path: string | null;
  /**
   * `hdf5Path` relative to the kernel's working folder, which Jupyter sets to the notebook's folder (e.g.
   * `artifacts/demo.h5`, `../data/rec.h5`); what code a frontend inserts into the notebook uses. Missing in payloads
   * of older kernels.
   */
  hdf5RelativePath?: string | null;
  /** The session's `outputDir` relative to the kernel's working folder (e.g. `artifacts`). Missing in older payloads. */
  outputDir?: string;
  unitCount: number;
  memory: { bytes: number; breakdown: { units: number; metadata: number; stimulus: number } };
  /** Names in `completedSteps`, including ones without a step record (e.g. `load_from_hdf5`). */
  completedSteps: string[];
  /** The most recent step records, oldest first. */
  steps: SessionStepSummary[];
  /** Step records left out of `steps` (the oldest ones). */
  stepsOmitted: number;
  /** The most recent warnings (each shortened), oldest first. */
  warnings: string[];
  /** Warnings left out of `warnings` (the oldest ones). */
  warningsOmitted: number;
  /** ISO time this payload was built. */
  updatedAt: string;
};

/** Payload of {@link ARROW_MIME}. */
export type ArrowPayload = {
  schema: 1;
  encoding: "arrow-ipc-stream";
  /** The Arrow IPC stream, base64. */
  base64: string;
  /** Rows in the encoded table. */
  numRows: number;
  numCols: number;
  /** Bytes of the IPC stream before base64. */
  bytes: number;
  /** Rows of the table the bundle was made from; larger than `numRows` when the size cap cut it. */
  totalRows: number;
  /**
   * For a table whose rows are the units of a session (`session.unitsTable()`): the session's id, so a frontend can
   * open a unit's page (`showUnitPage({ session: sessionById(id), unitId })`) from a row. Missing for other tables.
   */
  sessionId?: string;
  /** The column holding the unit ids, with `sessionId`. */
  unitIdColumn?: string;
};

/** Schema metadata keys by which an Arrow table names the session its rows come from (read by `tableToBundle`). */
export const TABLE_SESSION_ID_KEY = "hdmea.session_id";
/** Schema metadata key naming a table's unit-id column. */
export const TABLE_UNIT_ID_COLUMN_KEY = "hdmea.unit_id_column";

/** Payload of {@link PROGRESS_MIME}. */
export type ProgressPayload = {
  schema: 1;
  taskId: string;
  label: string;
  state: "running" | "done" | "failed";
  done: number;
  /** null when the amount of work is unknown. */
  total: number | null;
  /** done / total in [0, 1], or null when `total` is unknown. */
  fraction: number | null;
  elapsedMs: number;
  /** Estimated remaining time, or null when unknown. */
  etaMs: number | null;
  message: string;
  seq: number;
  updatedAt: string;
};

/** Where a unit's STA is strongest, as the kernel's `staPeak` found it (the units table's `sta_peak_*`). */
export type StaUnitPeak = {
  /** Index of the peak frame in the STA (0 = first frame); relative to the spike: frame + `firstFrameOffset`. */
  frame: number;
  row: number;
  col: number;
  /** (value − background) / noise standard deviation; 0 when the noise frames were flat. */
  zScore: number;
  polarity: 1 | -1;
};

/** One unit's STA in an {@link StaPayload}: frames × rows × cols float32 values, little-endian, base64. */
export type StaUnitData = {
  unitId: string;
  base64: string;
  /** The robust peak (null: no finite value); missing in payloads of older kernels, which then show the plain maximum. */
  peak?: StaUnitPeak | null;
};

/** Payload of {@link STA_MIME}: one STA feature of several units, all of the same shape. */
export type StaPayload = {
  schema: 1;
  /** [frames, rows, cols], e.g. [60, 15, 15]; frame-major, then row, then column. */
  shape: [number, number, number];
  /** Offset, in stimulus frames relative to the spike, of the first frame (the cover range's start, e.g. −60). */
  firstFrameOffset: number;
  /** The feature the frames come from, e.g. `sta_noise`. */
  feature: string;
  /** The unit shown first; one of `units`. */
  selectedUnitId: string;
  units: StaUnitData[];
  title: string;
};

/** A vega-lite v5 spec object. */
export type VegaLiteSpec = { $schema: string; [key: string]: ProtocolJson };

/** The session card bundle: custom payload with static HTML and text fallbacks. */
export type SessionBundle = {
  [SESSION_MIME]: SessionPayload;
  [HTML_MIME]: string;
  [PLAIN_MIME]: string;
};

/**
 * A chart bundle: the spec for live renderers and an SVG for static viewers; never `text/html`. STA charts may also
 * carry the frames for an interactive viewer.
 */
export type ChartBundle = {
  [VEGALITE_MIME]: VegaLiteSpec;
  [SVG_MIME]: string;
  [PLAIN_MIME]: string;
  [STA_MIME]?: StaPayload;
};

/** A table bundle: Arrow for the extension, an HTML preview for everything else. */
export type ArrowBundle = {
  [ARROW_MIME]: ArrowPayload;
  [HTML_MIME]: string;
  [PLAIN_MIME]: string;
};

/** A progress bundle. */
export type ProgressBundle = {
  [PROGRESS_MIME]: ProgressPayload;
  [PLAIN_MIME]: string;
};

/** State of one recording (or one sweep setting) in a {@link BatchPayload}. */
export type BatchItemState = "queued" | "running" | "done" | "skipped" | "failed" | "missing" | "stale";

/** One recording (or sweep setting) of a {@link BatchPayload}. */
export type BatchItem = {
  index: number;
  /** Recording id, or the sweep setting's label (e.g. `coverRange=[-30,0]`). */
  id: string;
  state: BatchItemState;
  /** The error of a failed item, or why a stale one is stale; "" otherwise. */
  detail: string;
  unitCount: number | null;
};

/** Payload of {@link BATCH_MIME}: the whole state of a batch or sweep, sent again on every change. */
export type BatchPayload = {
  schema: 1;
  /** Stable id of the batch (from its file) or sweep; every display of it carries the same id. */
  batchId: string;
  kind: "batch" | "sweep";
  name: string;
  /** What runs: "stage 1 (local, 2 workers)", "SLURM jobs 12, 13 → 14", "status". */
  activity: string;
  state: "running" | "done" | "interrupted" | "failed" | "idle";
  counts: { [state in BatchItemState]: number };
  total: number;
  items: BatchItem[];
  /** Items left out of `items` by {@link BATCH_PAYLOAD_MAX_ITEMS}. */
  itemsOmitted: number;
  seq: number;
  updatedAt: string;
};

/** A batch bundle: payload for the extension, a static table and a text line for everything else. */
export type BatchBundle = {
  [BATCH_MIME]: BatchPayload;
  [HTML_MIME]: string;
  [PLAIN_MIME]: string;
};
