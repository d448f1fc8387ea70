/**
 * Connects one notebook to its session store: its kernel's iopub traffic feeds the store, a restart or another
 * kernel clears it, and the outputs already in the document seed it. One store per notebook, kept while the
 * notebook is open (the table-of-contents tracker pattern, STYLE §2.1 habit 3).
 */
import type { ISessionContext } from "@jupyterlab/apputils";
import type * as nbformat from "@jupyterlab/nbformat";
import type { NotebookPanel } from "@jupyterlab/notebook";
import type { Kernel, KernelMessage } from "@jupyterlab/services";
import type { ICodeCellModel } from "@jupyterlab/cells";
import { readSessionPayload, SESSION_MIME } from "../protocol";
import { BatchStore } from "./batch-store";
import { SessionStore } from "./session-store";

/** Kernel states after which the sessions the panel shows are gone. */
const RESET_STATUSES: ReadonlySet<Kernel.Status> = new Set<Kernel.Status>(["restarting", "autorestarting", "dead"]);

/** The slots one notebook needs; kept together so they can be disconnected as a unit. */
export class NotebookBinding {
  /** The batches and sweeps this notebook's kernel has shown (the panel's Batch section). */
  readonly batches = new BatchStore();

  /**
   * @param shownSessionIds the ids of the sessions whose cards are among the notebook's outputs now; when given, the
   *   store drops the others each time the kernel goes idle (after a cell ran, its outputs are in the model).
   */
  constructor(
    readonly store: SessionStore,
    private readonly sessionContext: Pick<ISessionContext, "iopubMessage" | "kernelChanged" | "statusChanged">,
    private readonly shownSessionIds?: () => ReadonlySet<string>,
  ) {
    sessionContext.iopubMessage.connect(this.onIopub, this);
    sessionContext.kernelChanged.connect(this.onKernelChanged, this);
    sessionContext.statusChanged.connect(this.onStatusChanged, this);
  }

  dispose(): void {
    this.sessionContext.iopubMessage.disconnect(this.onIopub, this);
    this.sessionContext.kernelChanged.disconnect(this.onKernelChanged, this);
    this.sessionContext.statusChanged.disconnect(this.onStatusChanged, this);
    this.store.dispose();
    this.batches.dispose();
  }

  // Typed as IMessage: ISessionContext re-emits iopub traffic with the generic type (jupyter-integration.md §B1).
  private onIopub(_sender: ISessionContext, msg: KernelMessage.IMessage): void {
    this.store.handleMessage(msg);
    this.batches.handleMessage(msg);
  }

  private onKernelChanged(_sender: ISessionContext, change: { oldValue: Kernel.IKernelConnection | null }): void {
    // The first connection (no old kernel) is not a change of what the notebook showed: keep the seeded state.
    if (change.oldValue !== null) {
      this.store.reset("kernel changed");
      this.batches.reset();
    }
  }

  private onStatusChanged(_sender: ISessionContext, status: Kernel.Status): void {
    if (RESET_STATUSES.has(status)) {
      this.store.reset(`kernel ${status}`);
      this.batches.reset();
    } else if (status === "idle" && this.shownSessionIds) this.store.keepShown(this.shownSessionIds());
  }
}

function isNotebookContent(value: unknown): value is nbformat.INotebookContent {
  return typeof value === "object" && value !== null && Array.isArray((value as { cells?: unknown }).cells);
}

/** Ids of the sessions whose payload is in an output of the notebook now (read from the model, nothing serialised). */
export function shownSessionIds(panel: Pick<NotebookPanel, "model">): Set<string> {
  const ids = new Set<string>();
  const cells = panel.model?.cells;
  if (!cells) return ids;
  for (let c = 0; c < cells.length; c++) {
    const cell = cells.get(c);
    if (cell.type !== "code") continue;
    const outputs = (cell as ICodeCellModel).outputs;
    for (let o = 0; o < outputs.length; o++) {
      const payload = readSessionPayload(outputs.get(o).data[SESSION_MIME]);
      if (payload) ids.add(payload.sessionId);
    }
  }
  return ids;
}

/** Finds or creates the session store of each open notebook, and drops it when the notebook closes. */
export class SessionStoreTracker {
  private readonly bindings = new WeakMap<NotebookPanel, NotebookBinding>();

  /** The store of `panel`, created (and seeded from the document once it is loaded) on first use. */
  storeFor(panel: NotebookPanel): SessionStore {
    return this.bindingFor(panel).store;
  }

  /** The batch store of `panel` (created with its session store). */
  batchStoreFor(panel: NotebookPanel): BatchStore {
    return this.bindingFor(panel).batches;
  }

  private bindingFor(panel: NotebookPanel): NotebookBinding {
    const known = this.bindings.get(panel);
    if (known) return known;
    const binding = new NotebookBinding(new SessionStore(), panel.sessionContext, () => shownSessionIds(panel));
    this.bindings.set(panel, binding);
    panel.disposed.connect(() => {
      this.bindings.delete(panel);
      binding.dispose();
    });
    void panel.context.ready.then(() => {
      const content = panel.model?.toJSON();
      if (!binding.store.isDisposed && isNotebookContent(content)) {
        binding.store.seedFromNotebook(content);
        binding.batches.seedFromNotebook(content);
      }
    });
    return binding;
  }
}
