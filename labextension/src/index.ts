/**
 * The "HD-MEA Session" side panel plugin. This file only declares it; the store, the notebook binding, the panel
 * and the actions live in `panel/`.
 */
import { ILayoutRestorer, type JupyterFrontEnd, type JupyterFrontEndPlugin } from "@jupyterlab/application";
import { ICommandPalette } from "@jupyterlab/apputils";
import { INotebookTracker, type NotebookPanel } from "@jupyterlab/notebook";
import { CommandIds, PALETTE_CATEGORY } from "./commands";
import { sessionIcon } from "./icon";
import { sessionActionCode, unitPageCode, type SessionAction } from "./panel/action-code";
import { OPEN_UNIT_EVENT, unitRequestOf } from "./open-unit";
import { insertAndRunCell } from "./panel/insert-cell";
import { SessionStoreTracker } from "./panel/notebook-binding";
import { SessionPanel } from "./panel/panel";

const PANEL_ID = "hdmea-session-panel";

function activate(
  app: JupyterFrontEnd,
  notebooks: INotebookTracker,
  palette: ICommandPalette | null,
  restorer: ILayoutRestorer | null,
): void {
  const stores = new SessionStoreTracker();
  const currentPayload = () => {
    const notebook = notebooks.currentWidget;
    return notebook ? { notebook, payload: stores.storeFor(notebook).selected } : null;
  };
  const runAction = async (action: SessionAction): Promise<void> => {
    const current = currentPayload();
    if (!current?.payload) return;
    await insertAndRunCell(current.notebook, sessionActionCode({ action, payload: current.payload }));
  };

  const panel = new SessionPanel({
    select: (sessionId) => {
      const notebook = notebooks.currentWidget;
      if (notebook) stores.storeFor(notebook).select(sessionId);
    },
    run: (action) => void runAction(action),
  });
  panel.id = PANEL_ID;
  panel.title.icon = sessionIcon;
  panel.title.caption = "HD-MEA Session";

  const follow = (notebook: NotebookPanel | null) => {
    panel.model = notebook ? stores.storeFor(notebook) : null;
    panel.batchModel = notebook ? stores.batchStoreFor(notebook) : null;
    panel.notebookTitle = notebook ? notebook.context.path : "";
  };
  // A store per notebook from the moment it opens, so no session display is missed while the panel is hidden.
  notebooks.widgetAdded.connect((_sender, notebook) => void stores.storeFor(notebook));
  notebooks.currentChanged.connect((_sender, notebook) => follow(notebook));
  follow(notebooks.currentWidget);

  app.shell.add(panel, "right", { rank: 650 });
  restorer?.add(panel, PANEL_ID);

  const hasSession = () => currentPayload()?.payload != null;
  app.commands.addCommand(CommandIds.openPanel, {
    label: "Show HD-MEA Session Panel",
    caption: "Show the live hdmea session of the current notebook",
    execute: () => app.shell.activateById(PANEL_ID),
  });
  app.commands.addCommand(CommandIds.checkpoint, {
    label: "HD-MEA: Checkpoint Session (inserts a cell)",
    isEnabled: hasSession,
    execute: () => runAction("checkpoint"),
  });
  app.commands.addCommand(CommandIds.save, {
    label: "HD-MEA: Save Session (inserts a cell)",
    isEnabled: hasSession,
    execute: () => runAction("save"),
  });
  for (const command of Object.values(CommandIds)) palette?.addItem({ command, category: PALETTE_CATEGORY });

  // A click on a unit in an output (the units table): a visible cell below that output shows the unit's page.
  document.addEventListener(OPEN_UNIT_EVENT, (event) => {
    const request = unitRequestOf(event);
    const target = event.target;
    if (request === null || !(target instanceof Node)) return;
    const notebook = notebooks.find((panel) => panel.node.contains(target));
    if (!notebook) return;
    const index = notebook.content.widgets.findIndex((cell) => cell.node.contains(target));
    if (index >= 0) notebook.content.activeCellIndex = index;
    void insertAndRunCell(notebook, unitPageCode(request));
  });
}

const sessionPanelPlugin: JupyterFrontEndPlugin<void> = {
  id: "hdmea-labextension:session-panel",
  description: "A side panel showing the live hdmea session of the current notebook.",
  autoStart: true,
  requires: [INotebookTracker],
  optional: [ICommandPalette, ILayoutRestorer],
  activate,
};

export default sessionPanelPlugin;
