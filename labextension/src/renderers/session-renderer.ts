/** The session card: the rich form of the side panel, inside the notebook. */
import type { IRenderMime } from "@jupyterlab/rendermime-interfaces";
import { readSessionPayload, type SessionPayload } from "../protocol";
import { renderSessionSummary } from "../session-view";
import { HdmeaRenderer } from "./renderer-base";

export const SESSION_CARD_CLASS = "hdmea-SessionCard";

export class SessionCardRenderer extends HdmeaRenderer<SessionPayload> {
  constructor(options: IRenderMime.IRendererOptions) {
    super(options, SESSION_CARD_CLASS);
  }

  protected read(data: unknown): SessionPayload | null {
    return readSessionPayload(data);
  }

  protected renderPayload(payload: SessionPayload): void {
    this.node.appendChild(renderSessionSummary(payload));
  }
}
