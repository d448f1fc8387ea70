/** A tiny DOM builder: text goes in through `textContent` only, so payload strings can never become markup. */

export interface ElementOptions {
  className?: string;
  text?: string;
  title?: string;
  attrs?: Record<string, string>;
}

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  options: ElementOptions = {},
  children: readonly (Node | null)[] = [],
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (options.className) element.className = options.className;
  if (options.text !== undefined) element.textContent = options.text;
  if (options.title !== undefined) element.title = options.title;
  if (options.attrs) for (const [name, value] of Object.entries(options.attrs)) element.setAttribute(name, value);
  for (const child of children) if (child) element.appendChild(child);
  return element;
}

/** Removes every child of `element`. */
export function clear(element: Element): void {
  while (element.firstChild) element.removeChild(element.firstChild);
}

const SVG_NS = "http://www.w3.org/2000/svg";

/** An SVG element with attributes; `text` goes in through `textContent`, like {@link h}. */
export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> & { text?: string } = {}): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name === "text") element.textContent = String(value);
    else element.setAttribute(name, String(value));
  }
  return element;
}
