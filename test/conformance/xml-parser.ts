/** An XML element as the strict test parser reads it. */
export interface XmlElement {
  readonly name: string;
  readonly attributes: Record<string, string>;
  readonly children: XmlElement[];
  text: string;
}

const entities: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decode(text: string, at: number): string {
  if (/<|&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(text)) {
    throw new Error(`unescaped markup near offset ${at}: ${JSON.stringify(text.slice(0, 40))}`);
  }
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (_, ref: string) =>
    ref.startsWith("#x")
      ? String.fromCodePoint(Number.parseInt(ref.slice(2), 16))
      : ref.startsWith("#")
        ? String.fromCodePoint(Number(ref.slice(1)))
        : (entities[ref] as string),
  );
}

/**
 * Parses a small XML document strictly enough to prove it well-formed: one root, balanced tags,
 * quoted attributes, escaped text. Throws on the first problem.
 */
export function parseXml(xml: string): XmlElement {
  const tokens =
    /<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<\/([\w:.-]+)\s*>|<([\w:.-]+)((?:\s+[\w:.-]+="[^"]*")*)\s*(\/?)>|([^<]+)|(<)/g;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  for (const match of xml.matchAll(tokens)) {
    const [token, close, open, attrs, selfClosing, text, stray] = match;
    const at = match.index;
    if (stray) throw new Error(`malformed tag at offset ${at}: ${JSON.stringify(xml.slice(at, at + 40))}`);
    if (text !== undefined) {
      const parent = stack.at(-1);
      if (!parent && text.trim()) throw new Error(`text outside the root at offset ${at}`);
      if (parent) parent.text += decode(text, at);
    } else if (open) {
      const attributes: Record<string, string> = {};
      for (const [, key, value] of (attrs ?? "").matchAll(/([\w:.-]+)="([^"]*)"/g)) {
        if (key && key in attributes) throw new Error(`duplicate attribute ${key} at offset ${at}`);
        attributes[key as string] = decode(value ?? "", at);
      }
      const element: XmlElement = { name: open, attributes, children: [], text: "" };
      const parent = stack.at(-1);
      if (parent) parent.children.push(element);
      else if (root) throw new Error(`second root element at offset ${at}`);
      else root = element;
      if (!selfClosing) stack.push(element);
    } else if (close) {
      const element = stack.pop();
      if (element?.name !== close) throw new Error(`</${close}> at offset ${at} closes <${element?.name}>`);
    } else if (token.startsWith("<?") && at !== 0) {
      throw new Error("the XML declaration must come first");
    }
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack.at(-1)?.name}>`);
  if (!root) throw new Error("no root element");
  return root;
}

/** Every element below (and including) `element` with the given name. */
export function findAll(element: XmlElement, name: string): XmlElement[] {
  return [...(element.name === name ? [element] : []), ...element.children.flatMap((c) => findAll(c, name))];
}
