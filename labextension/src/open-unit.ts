/**
 * "Open this unit's page", asked by a renderer (a units table row) and answered by the plugin, which inserts and
 * runs a visible cell below the output (panel actions never run hidden code). A DOM event keeps the renderers free
 * of notebook knowledge: it bubbles from the output to wherever the plugin listens.
 */

export const OPEN_UNIT_EVENT = "hdmea-open-unit";

/** Which unit of which kernel session to show. */
export interface OpenUnitRequest {
  sessionId: string;
  unitId: string;
}

/** Asks for the page of a unit from `source` (an element inside the output that shows it). */
export function requestUnitPage(source: Element, request: OpenUnitRequest): void {
  source.dispatchEvent(new CustomEvent<OpenUnitRequest>(OPEN_UNIT_EVENT, { bubbles: true, detail: request }));
}

/** The request carried by an event, or null when it is not a well-formed one. */
export function unitRequestOf(event: Event): OpenUnitRequest | null {
  const detail = (event as CustomEvent<unknown>).detail;
  if (typeof detail !== "object" || detail === null) return null;
  const { sessionId, unitId } = detail as Record<string, unknown>;
  return typeof sessionId === "string" && sessionId !== "" && typeof unitId === "string" && unitId !== "" ? { sessionId, unitId } : null;
}
