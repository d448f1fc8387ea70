// jsdom has no DragEvent, and @lumino/dragdrop touches it when it is imported (jupyter-integration.md §B7).
if (typeof (globalThis as { DragEvent?: unknown }).DragEvent === "undefined") {
  class DragEventShim extends MouseEvent {}
  (globalThis as { DragEvent?: unknown }).DragEvent = DragEventShim;
}
