/** Inserting and running a visible cell: how the panel's actions reach the kernel (never hidden code). */
import { NotebookActions, type NotebookPanel } from "@jupyterlab/notebook";

/** Inserts `code` as a new code cell below the active cell of `panel` and runs it; resolves with the run's success. */
export async function insertAndRunCell(panel: NotebookPanel, code: string): Promise<boolean> {
  const notebook = panel.content;
  if (!notebook.model) return false;
  NotebookActions.insertBelow(notebook);
  NotebookActions.changeCellType(notebook, "code"); // the notebook's default cell type may be markdown
  const cell = notebook.activeCell;
  if (!cell) return false;
  cell.model.sharedModel.setSource(code);
  return NotebookActions.run(notebook, panel.sessionContext);
}
