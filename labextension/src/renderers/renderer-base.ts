/**
 * What every hdmea mime renderer shares: it reads its mimetype's data (object or JSON text), shows the payload, and
 * when the payload cannot be read shows the bundle's `text/plain` with a note instead of failing.
 */
import type { IRenderMime } from "@jupyterlab/rendermime-interfaces";
import { Widget } from "@lumino/widgets";
import { clear, h } from "../dom";

export const RENDERER_CLASS = "hdmea-Renderer";
const UNREADABLE_CLASS = "hdmea-Renderer-unreadable";

export abstract class HdmeaRenderer<P> extends Widget implements IRenderMime.IRenderer {
  protected readonly mimeType: string;
  /** Aborted when the output is re-rendered or removed: listeners and pending work of the last render stop. */
  private lifetime = new AbortController();

  constructor(options: IRenderMime.IRendererOptions, className: string) {
    super();
    this.mimeType = options.mimeType;
    this.addClass(RENDERER_CLASS);
    this.addClass(className);
  }

  /** The payload in the mime data, or null when it is missing or malformed. */
  protected abstract read(data: unknown): P | null;

  /** Fills `this.node` for `payload`; `signal` ends with this render. */
  protected abstract renderPayload(payload: P, signal: AbortSignal): void | Promise<void>;

  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    this.lifetime.abort();
    this.lifetime = new AbortController();
    const signal = this.lifetime.signal;
    clear(this.node);
    const payload = this.read(model.data[this.mimeType]);
    if (payload === null) {
      this.showUnreadable(model);
      return;
    }
    try {
      await this.renderPayload(payload, signal);
    } catch (error) {
      if (signal.aborted) return;
      clear(this.node);
      this.node.appendChild(h("pre", { className: UNREADABLE_CLASS, text: `[hdmea] ${error instanceof Error ? error.message : String(error)}` }));
    }
  }

  private showUnreadable(model: IRenderMime.IMimeModel): void {
    const plain = model.data["text/plain"];
    this.node.appendChild(
      h("div", { className: UNREADABLE_CLASS }, [
        typeof plain === "string" ? h("pre", { text: plain }) : null,
        h("div", { className: "hdmea-muted", text: `[hdmea] this ${this.mimeType} output is not one this extension can read.` }),
      ]),
    );
  }

  override dispose(): void {
    this.lifetime.abort();
    super.dispose();
  }
}

/** Bytes of base64 text. */
export function decodeBase64(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
