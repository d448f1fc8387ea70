// jsdom has no DragEvent, and @lumino/dragdrop touches it when it is imported (jupyter-integration.md §B7).
if (typeof (globalThis as { DragEvent?: unknown }).DragEvent === "undefined") {
  class DragEventShim extends MouseEvent {}
  (globalThis as { DragEvent?: unknown }).DragEvent = DragEventShim;
}

// jsdom has no matchMedia; JupyterLab's toolkit components (pulled in by @jupyterlab/rendermime) call it on import.
if (typeof window.matchMedia !== "function") {
  window.matchMedia = (query: string): MediaQueryList =>
    ({
      matches: false,
      media: query,
      onchange: null,
      addListener: () => undefined,
      removeListener: () => undefined,
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
      dispatchEvent: () => false,
    }) as MediaQueryList;
}
