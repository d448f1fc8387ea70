/**
 * The panel's "Batch" section: for each batch or sweep the notebook is watching, its state and counts, and one row
 * per recording (or setting); a failed row is a button that opens its error below it. Reads the store only; clicks
 * go back through `toggle`.
 */
import type { BatchPayload } from "hdmea/dist/display/protocol";
import { h } from "../dom";
import type { BatchStore } from "./batch-store";

export const BATCH_SECTION_CLASS = "hdmea-BatchSection";
const STATE_ORDER = ["running", "failed", "stale", "missing", "queued", "done", "skipped"] as const;

/** The section for `store`, or null when the notebook shows no batch. */
export function renderBatchSection(store: BatchStore, toggle: (batchId: string, index: number) => void): HTMLElement | null {
  const batches = store.batches;
  if (batches.length === 0) return null;
  return h("section", { className: BATCH_SECTION_CLASS, attrs: { "data-hdmea-section": "batch" } }, [
    h("h3", { className: "hdmea-BatchSection-title", text: "Batch" }),
    ...batches.map((batch) => renderBatch(batch, store.openedItem(batch.batchId), toggle)),
  ]);
}

function renderBatch(batch: BatchPayload, opened: number | null, toggle: (batchId: string, index: number) => void): HTMLElement {
  const counts = STATE_ORDER.filter((state) => batch.counts[state] > 0).map((state) => `${state} ${batch.counts[state]}`);
  const rows = batch.items.map((item) => {
    const label = `${item.id} · ${item.state}${item.unitCount !== null ? ` · ${item.unitCount} units` : ""}`;
    const attrs = { "data-hdmea-batch-item": String(item.index), "data-hdmea-state": item.state };
    if (item.state !== "failed") return h("li", { className: `hdmea-BatchSection-item hdmea-mod-${item.state}`, text: label, attrs });
    const button = h("button", {
      className: "hdmea-BatchSection-failure",
      text: label,
      title: "Show the error",
      attrs: { type: "button", "aria-expanded": String(opened === item.index) },
    });
    button.addEventListener("click", () => toggle(batch.batchId, item.index));
    const error = opened === item.index ? h("pre", { className: "hdmea-BatchSection-error", text: item.detail || "(no message)", attrs: { "data-hdmea-field": "error" } }) : null;
    return h("li", { className: "hdmea-BatchSection-item hdmea-mod-failed", attrs }, [button, error]);
  });
  const omitted = batch.itemsOmitted > 0 ? h("li", { className: "hdmea-muted", text: `${batch.itemsOmitted} more` }) : null;
  return h("div", { className: "hdmea-BatchSection-batch", attrs: { "data-hdmea-batch": batch.batchId } }, [
    h("div", { className: "hdmea-BatchSection-head", text: `${batch.kind} ${batch.name} · ${batch.state}` }),
    h("div", { className: "hdmea-muted", text: `${batch.activity} · ${counts.join(" · ") || "empty"} of ${batch.total}` }),
    h("ul", { className: "hdmea-BatchSection-items" }, [...rows, omitted]),
  ]);
}
