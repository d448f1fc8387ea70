/**
 * The mime extension: renderers for the hdmea mimetypes. All are `safe` (text only, no script, no HTML from the
 * payload), so they also render in untrusted notebooks, and ranked ahead of `text/html` (50) and vega-lite (57),
 * which hdmea bundles carry as fallbacks (jupyter-integration.md §B2).
 */
import type { IRenderMime } from "@jupyterlab/rendermime-interfaces";
import { ARROW_MIME, PROGRESS_MIME, SESSION_MIME, STA_MIME } from "./protocol";
import { ArrowTableRenderer } from "./renderers/arrow-renderer";
import { ProgressRenderer } from "./renderers/progress-renderer";
import { SessionCardRenderer } from "./renderers/session-renderer";
import { StaViewer } from "./renderers/sta-renderer";

/** Lower wins; below text/html's 50. */
export const HDMEA_RENDER_RANK = 10;

export const sessionCardFactory: IRenderMime.IRendererFactory = {
  safe: true,
  mimeTypes: [SESSION_MIME],
  defaultRank: HDMEA_RENDER_RANK,
  createRenderer: (options) => new SessionCardRenderer(options),
};

export const arrowTableFactory: IRenderMime.IRendererFactory = {
  safe: true,
  mimeTypes: [ARROW_MIME],
  defaultRank: HDMEA_RENDER_RANK,
  createRenderer: (options) => new ArrowTableRenderer(options),
};

export const staViewerFactory: IRenderMime.IRendererFactory = {
  safe: true,
  mimeTypes: [STA_MIME],
  defaultRank: HDMEA_RENDER_RANK,
  createRenderer: (options) => new StaViewer(options),
};

export const progressFactory: IRenderMime.IRendererFactory = {
  safe: true,
  mimeTypes: [PROGRESS_MIME],
  defaultRank: HDMEA_RENDER_RANK,
  createRenderer: (options) => new ProgressRenderer(options),
};

const extensions: IRenderMime.IExtension[] = [
  { id: "hdmea-labextension:session-card", rendererFactory: sessionCardFactory, rank: HDMEA_RENDER_RANK, dataType: "json" },
  { id: "hdmea-labextension:arrow-table", rendererFactory: arrowTableFactory, rank: HDMEA_RENDER_RANK, dataType: "json" },
  { id: "hdmea-labextension:sta-viewer", rendererFactory: staViewerFactory, rank: HDMEA_RENDER_RANK, dataType: "json" },
  { id: "hdmea-labextension:progress", rendererFactory: progressFactory, rank: HDMEA_RENDER_RANK, dataType: "json" },
];

export default extensions;
