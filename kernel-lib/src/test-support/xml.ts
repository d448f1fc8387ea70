/**
 * A tiny XML well-formedness check for tests: tags nest and close, attributes are quoted and unique, text has no raw
 * `<`, and every `&` starts an entity. Returns the problem, or undefined for well-formed XML.
 */
export function xmlProblem(xml: string): string | undefined {
  const stack: string[] = [];
  let i = 0;
  let roots = 0;
  const name = /^[A-Za-z_:][\w:.-]*/;
  while (i < xml.length) {
    const lt = xml.indexOf("<", i);
    const text = xml.slice(i, lt === -1 ? xml.length : lt);
    const badAmp = /&(?!(?:[A-Za-z]+|#\d+|#x[0-9A-Fa-f]+);)/.exec(text);
    if (badAmp) return `bare '&' in text at ${i + badAmp.index}`;
    if (text.trim() !== "" && stack.length === 0) return `text outside the root element at ${i}`;
    if (lt === -1) break;
    if (xml.startsWith("<!--", lt)) {
      const end = xml.indexOf("-->", lt + 4);
      if (end === -1) return "unclosed comment";
      i = end + 3;
      continue;
    }
    if (xml.startsWith("<?", lt)) {
      const end = xml.indexOf("?>", lt + 2);
      if (end === -1) return "unclosed processing instruction";
      i = end + 2;
      continue;
    }
    if (xml.startsWith("<![CDATA[", lt)) {
      const end = xml.indexOf("]]>", lt);
      if (end === -1) return "unclosed CDATA";
      i = end + 3;
      continue;
    }
    const gt = findTagEnd(xml, lt);
    if (gt === -1) return `unclosed tag at ${lt}`;
    const tag = xml.slice(lt + 1, gt);
    if (tag.startsWith("/")) {
      const closing = tag.slice(1).trim();
      const open = stack.pop();
      if (open !== closing) return `</${closing}> closes <${open ?? "nothing"}> at ${lt}`;
    } else {
      const selfClosing = tag.endsWith("/");
      const body = selfClosing ? tag.slice(0, -1) : tag;
      const match = name.exec(body);
      if (!match) return `bad tag name at ${lt}`;
      const problem = attributeProblem(body.slice(match[0].length));
      if (problem) return `${problem} in <${match[0]}> at ${lt}`;
      if (stack.length === 0) roots++;
      if (roots > 1) return "more than one root element";
      if (!selfClosing) stack.push(match[0]);
    }
    i = gt + 1;
  }
  if (stack.length > 0) return `unclosed <${stack[stack.length - 1]}>`;
  if (roots === 0) return "no root element";
  return undefined;
}

function findTagEnd(xml: string, from: number): number {
  let quote: string | null = null;
  for (let i = from + 1; i < xml.length; i++) {
    const c = xml[i];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "<") return -1;
    else if (c === ">") return i;
  }
  return -1;
}

function attributeProblem(attributes: string): string | undefined {
  const seen = new Set<string>();
  const pattern = /\s+([A-Za-z_:][\w:.-]*)\s*=\s*("([^"<]*)"|'([^'<]*)')/y;
  let rest = attributes;
  while (rest.trim() !== "") {
    pattern.lastIndex = 0;
    const match = pattern.exec(rest);
    if (!match) return `bad attribute syntax near '${rest.slice(0, 30)}'`;
    if (seen.has(match[1])) return `duplicate attribute ${match[1]}`;
    seen.add(match[1]);
    const value = match[3] ?? match[4] ?? "";
    if (/&(?!(?:[A-Za-z]+|#\d+|#x[0-9A-Fa-f]+);)/.test(value)) return `bare '&' in attribute ${match[1]}`;
    rest = rest.slice(match[0].length);
  }
  return undefined;
}
