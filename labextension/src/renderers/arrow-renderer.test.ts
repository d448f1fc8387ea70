import { describe, expect, it } from "vitest";
import { ArrowTableRenderer } from "./arrow-renderer";
import { columnWidthPx, MAX_VIEWPORT_PX, ROW_HEIGHT_PX } from "./table-view";
import { OPEN_UNIT_EVENT, unitRequestOf, type OpenUnitRequest } from "../open-unit";
import { ARROW_MIME, arrowBundle, arrowPayload, mimeModel } from "../test-support/fixtures";

function renderer(): ArrowTableRenderer {
  return new ArrowTableRenderer({ mimeType: ARROW_MIME, sanitizer: { sanitize: (s: string) => s }, resolver: null, linkHandler: null, latexTypesetter: null });
}

/** The rows in the DOM in table order (the row pool is reused in rotation, so DOM order differs). */
function visibleRows(r: ArrowTableRenderer): string[][] {
  return [...r.node.querySelectorAll<HTMLElement>(".hdmea-Table-row")]
    .filter((row) => row.style.display !== "none")
    .sort((a, b) => Number(a.getAttribute("aria-rowindex")) - Number(b.getAttribute("aria-rowindex")))
    .map((row) => [...row.children].map((cell) => cell.textContent ?? ""));
}

const nextFrame = () => new Promise((resolve) => requestAnimationFrame(resolve));

describe("ArrowTableRenderer", () => {
  it("decodes the IPC stream and shows names, row count and values", async () => {
    const table = renderer();
    await table.renderModel(mimeModel(arrowBundle(arrowPayload(5))));
    const headings = [...table.node.querySelectorAll(".hdmea-Table-heading")].map((h) => h.textContent);
    expect(headings).toEqual(["unit_id", "spike_count", "mean_rate_hz"]);
    expect(table.node.querySelector(".hdmea-ArrowTable-info")?.textContent).toBe("5 rows × 3 columns");
    expect(visibleRows(table)[1]).toEqual(["1", "unit_00002", "919", "47.29"]);
    // A short table's viewport is as tall as its rows (plus room for a sideways scrollbar), not the full 360 px.
    expect(table.node.querySelector<HTMLElement>(".hdmea-Table-scroller")!.style.height).toBe(`${5 * ROW_HEIGHT_PX + 16}px`);
  });

  it("accepts JSON text and says when the kernel cut the table", async () => {
    const table = renderer();
    await table.renderModel(mimeModel(arrowBundle(JSON.stringify({ ...arrowPayload(4), totalRows: 40 }))));
    expect(table.node.querySelector(".hdmea-ArrowTable-info")?.textContent).toContain("first 4 of 40 rows");
    expect(visibleRows(table)).toHaveLength(4);
  });

  it("keeps only the rows in view in the DOM for 10 000 rows, and follows scrolling", async () => {
    const table = renderer();
    await table.renderModel(mimeModel(arrowBundle(arrowPayload(10_000))));
    expect(table.node.querySelector<HTMLElement>(".hdmea-Table-scroller")!.style.height).toBe(`${MAX_VIEWPORT_PX}px`);
    const rows = visibleRows(table);
    expect(rows.length).toBeLessThan(60);
    expect(rows[0][1]).toBe("unit_00001");
    const sizer = table.node.querySelector<HTMLElement>(".hdmea-Table-sizer")!;
    expect(sizer.style.height).toBe(`${10_000 * ROW_HEIGHT_PX}px`);
    const scroller = table.node.querySelector<HTMLElement>(".hdmea-Table-scroller")!;
    scroller.scrollTop = 5000 * ROW_HEIGHT_PX;
    scroller.dispatchEvent(new Event("scroll"));
    await nextFrame();
    const after = visibleRows(table);
    expect(after.length).toBe(rows.length);
    expect(after.map((r) => r[1])).toContain("unit_05001");
    const indices = after.map((r) => Number(r[0]));
    expect(indices).toEqual(indices.map((_, i) => indices[0] + i)); // a contiguous run of rows
    expect(table.node.querySelectorAll(".hdmea-Table-row").length).toBe(rows.length); // the row pool was reused
    // A small scroll rewrites only the rows that enter the view.
    const before = new Map([...table.node.querySelectorAll<HTMLElement>(".hdmea-Table-row")].map((row) => [row, row.getAttribute("aria-rowindex")]));
    scroller.scrollTop += 3 * ROW_HEIGHT_PX;
    scroller.dispatchEvent(new Event("scroll"));
    await nextFrame();
    const changed = [...before].filter(([row, index]) => row.getAttribute("aria-rowindex") !== index);
    expect(changed).toHaveLength(3);
  });

  it("sorts by a column on click: ascending, descending, then the original order", async () => {
    const table = renderer();
    await table.renderModel(mimeModel(arrowBundle(arrowPayload(300))));
    const heading = table.node.querySelectorAll<HTMLElement>(".hdmea-Table-heading")[1];
    const counts = () => visibleRows(table).map((row) => Number(row[2]));
    heading.click();
    const ascending = counts();
    expect(ascending).toEqual([...ascending].sort((a, b) => a - b));
    expect(ascending[0]).toBe(0);
    expect(table.node.querySelectorAll<HTMLElement>(".hdmea-Table-heading")[1].getAttribute("aria-sort")).toBe("ascending");
    table.node.querySelectorAll<HTMLElement>(".hdmea-Table-heading")[1].click();
    const descending = counts();
    expect(descending).toEqual([...descending].sort((a, b) => b - a));
    expect(descending[0]).toBeGreaterThan(990);
    table.node.querySelectorAll<HTMLElement>(".hdmea-Table-heading")[1].click();
    expect(visibleRows(table)[0][1]).toBe("unit_00001");
  });

  it("shows a readable error for a payload whose bytes are not Arrow", async () => {
    const table = renderer();
    await table.renderModel(mimeModel(arrowBundle({ ...arrowPayload(2), base64: btoa("not arrow at all") })));
    expect(table.node.textContent).toMatch(/^\[hdmea\]/);
  });

  it("keeps a units table's unit id in view, first, and opens a unit's page from it", async () => {
    const table = renderer();
    document.body.appendChild(table.node);
    const requests: OpenUnitRequest[] = [];
    const listener = (event: Event) => requests.push(unitRequestOf(event)!);
    document.addEventListener(OPEN_UNIT_EVENT, listener);
    try {
      const payload = { ...arrowPayload(5), sessionId: "demo-1", unitIdColumn: "unit_id" };
      await table.renderModel(mimeModel(arrowBundle(payload)));
      const headings = [...table.node.querySelectorAll(".hdmea-Table-heading")];
      expect(headings[0].classList.contains("hdmea-mod-sticky")).toBe(true);
      expect(headings[0].textContent).toBe("unit_id");
      const keyCell = table.node.querySelector<HTMLElement>('.hdmea-Table-row[aria-rowindex="3"] .hdmea-Table-key')!;
      expect(keyCell.classList.contains("hdmea-mod-sticky")).toBe(true);
      expect(keyCell.textContent).toBe("unit_00003");
      expect(keyCell.title).toContain("Open the page of unit_00003");
      keyCell.click();
      expect(requests).toEqual([{ sessionId: "demo-1", unitId: "unit_00003" }]);
      // The header's sticky cells stay put while the rest scrolls sideways with the rows.
      const scroller = table.node.querySelector<HTMLElement>(".hdmea-Table-scroller")!;
      scroller.scrollLeft = 100;
      scroller.dispatchEvent(new Event("scroll"));
      expect(table.node.querySelector<HTMLElement>(".hdmea-Table-header")!.style.transform).toBe("translateX(-100px)");
      expect((headings[0] as HTMLElement).style.transform).toBe("translateX(100px)");
    } finally {
      document.removeEventListener(OPEN_UNIT_EVENT, listener);
      table.node.remove();
    }
  });

  it("makes no links in a table that names no session, and sizes columns to their headings with the sort arrow", async () => {
    const table = renderer();
    await table.renderModel(mimeModel(arrowBundle(arrowPayload(3))));
    expect(table.node.querySelector(".hdmea-mod-link")).toBeNull();
    expect(columnWidthPx("snr")).toBe(120);
    expect(columnWidthPx("step_up_5s_5i_3x.on_response_flag")).toBeGreaterThan(33 * 7);
    const heading = table.node.querySelectorAll<HTMLElement>(".hdmea-Table-heading")[1];
    heading.click();
    const arrow = table.node.querySelectorAll<HTMLElement>(".hdmea-Table-heading")[1].querySelector(".hdmea-Table-sortArrow");
    expect(arrow?.textContent).toBe(" ▲");
  });
});
