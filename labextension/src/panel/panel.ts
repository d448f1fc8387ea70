/**
 * The "HD-MEA Session" side panel. It shows the store of the current notebook; swapping notebooks swaps the model
 * (disconnecting the old one's signal first), the panel itself is built once (STYLE §2.1 habit 3).
 */
import { Widget } from "@lumino/widgets";
import type { Message } from "@lumino/messaging";
import { clear, h } from "../dom";
import { renderSessionSummary } from "../session-view";
import type { SessionAction } from "./action-code";
import { renderBatchSection } from "./batch-section";
import type { BatchStore } from "./batch-store";
import type { SessionStore } from "./session-store";

export const PANEL_CLASS = "hdmea-SessionPanel";
const HEADER_CLASS = "hdmea-SessionPanel-header";
const BODY_CLASS = "hdmea-SessionPanel-body";
const EMPTY_CLASS = "hdmea-SessionPanel-empty";

/** What the panel's controls ask for; the plugin decides what happens (the panel never changes the store). */
export interface SessionPanelRequests {
  select(sessionId: string): void;
  run(action: SessionAction): void;
}

export class SessionPanel extends Widget {
  private _model: SessionStore | null = null;
  private _batchModel: BatchStore | null = null;
  private _notebookTitle = "";
  private readonly header: HTMLElement;
  private readonly body: HTMLElement;

  constructor(private readonly requests: SessionPanelRequests) {
    super();
    this.addClass(PANEL_CLASS);
    this.header = h("div", { className: HEADER_CLASS });
    this.body = h("div", { className: BODY_CLASS });
    this.node.append(this.header, this.body);
  }

  get model(): SessionStore | null {
    return this._model;
  }

  /** The store to show (null: no notebook). */
  set model(model: SessionStore | null) {
    if (model === this._model) return;
    this._model?.stateChanged.disconnect(this.onStateChanged, this);
    this._model = model;
    model?.stateChanged.connect(this.onStateChanged, this);
    this.update();
  }

  /** The batches of the same notebook (the Batch section below the session). */
  set batchModel(model: BatchStore | null) {
    if (model === this._batchModel) return;
    this._batchModel?.changed.disconnect(this.onStateChanged, this);
    this._batchModel = model;
    model?.changed.connect(this.onStateChanged, this);
    this.update();
  }

  get batchModel(): BatchStore | null {
    return this._batchModel;
  }

  /** The name of the notebook the model belongs to, shown in the header. */
  set notebookTitle(title: string) {
    if (title === this._notebookTitle) return;
    this._notebookTitle = title;
    this.update();
  }

  private onStateChanged(): void {
    this.update();
  }

  protected override onUpdateRequest(_msg: Message): void {
    this.render();
  }

  /** Rebuilds the panel's DOM from the model (also called directly by tests). */
  render(): void {
    this.renderSession();
    const batches = this._batchModel;
    const section = batches === null ? null : renderBatchSection(batches, (batchId, index) => batches.toggleItem(batchId, index));
    if (section !== null) this.body.appendChild(section);
  }

  private renderSession(): void {
    clear(this.header);
    clear(this.body);
    const model = this._model;
    this.header.appendChild(h("div", { className: "hdmea-SessionPanel-title", text: "HD-MEA Session" }));
    if (model === null) {
      this.body.appendChild(h("p", { className: EMPTY_CLASS, text: "Open a notebook to see its hdmea session." }));
      return;
    }
    if (this._notebookTitle) this.header.appendChild(h("div", { className: "hdmea-muted", text: this._notebookTitle }));
    const selected = model.selected;
    if (selected === null) {
      this.body.appendChild(
        h("p", { className: EMPTY_CLASS, text: "No hdmea session in this notebook's kernel yet. Run a cell that shows one." }),
      );
      return;
    }
    const sessions = model.sessions;
    if (sessions.length > 1) this.header.appendChild(this.selector(sessions.map((s) => [s.sessionId, s.datasetId]), selected.sessionId));
    this.header.appendChild(this.actions());
    if (model.isFromSavedOutput(selected.sessionId)) {
      this.body.appendChild(
        h("p", {
          className: "hdmea-SessionPanel-note hdmea-muted",
          text: "From the notebook's saved outputs: the running kernel may not hold this session.",
          attrs: { "data-hdmea-field": "origin" },
        }),
      );
    }
    this.body.appendChild(renderSessionSummary(selected));
  }

  private selector(choices: [string, string][], selectedId: string): HTMLElement {
    const select = h("select", { className: "hdmea-SessionPanel-select", attrs: { "aria-label": "Session" } });
    for (const [sessionId, datasetId] of choices) {
      const option = h("option", { text: `${datasetId} (${sessionId})`, attrs: { value: sessionId } });
      option.selected = sessionId === selectedId;
      select.appendChild(option);
    }
    select.addEventListener("change", () => this.requests.select(select.value));
    return select;
  }

  private actions(): HTMLElement {
    const button = (action: SessionAction, label: string, title: string) => {
      const element = h("button", {
        className: "jp-Button jp-mod-styled hdmea-SessionPanel-action",
        text: label,
        title,
        attrs: { "data-hdmea-action": action, type: "button" },
      });
      element.addEventListener("click", () => this.requests.run(action));
      return element;
    };
    return h("div", { className: "hdmea-SessionPanel-actions" }, [
      button("checkpoint", "Checkpoint", "Insert and run a cell that writes a checkpoint of this session"),
      button("save", "Save", "Insert and run a cell that saves this session"),
    ]);
  }

  override dispose(): void {
    this.model = null;
    this.batchModel = null;
    super.dispose();
  }
}
