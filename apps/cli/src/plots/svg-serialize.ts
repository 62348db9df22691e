/**
 * Plot's SVG as text, written as jsdom 29.1.1 wrote it (parse5's HTML serialiser), so the files stay
 * byte-identical to those of earlier versions. Plot draws into a linkedom document (render.ts), but
 * linkedom's own `outerHTML` differs in four ways that a text post-processing could not all undo
 * reliably: it lists attributes newest first, self-closes empty elements (`<rect … />`), writes
 * U+00A0 as `&#160;`, and in an HTML document leaves `&`, `<`, `>` in attribute values unescaped
 * (not well-formed XML, which resvg rejects). Walking the tree is these few lines.
 */

const SVG_NS = "http://www.w3.org/2000/svg";

// parse5 escapes through `entities`: these characters in attribute values and in text
const ESCAPES: Record<string, string> = { "&": "&amp;", "\"": "&quot;", "<": "&lt;", ">": "&gt;", "\u00a0": "&nbsp;" };
const escapeAttribute = (s: string): string => s.replace(/["&<>\u00a0]/g, (c) => ESCAPES[c]!);
const escapeText = (s: string): string => s.replace(/[&<>\u00a0]/g, (c) => ESCAPES[c]!);

/** A node of something other than SVG elements and text (Plot's static SVG has none). */
export class SvgSerializeError extends Error {
  constructor(what: string) {
    super(`serializeSvg: ${what} cannot be serialised`);
    this.name = "SvgSerializeError";
  }
}

/** An SVG element drawn into a linkedom document, serialised as jsdom serialised it (see above). */
export function serializeSvg(node: Node): string {
  if (node.nodeType === 3) return escapeText((node as Text).data);
  if (node.nodeType !== 1) throw new SvgSerializeError(`a node of type ${node.nodeType}`);
  const el = node as Element;
  if (el.namespaceURI !== SVG_NS) throw new SvgSerializeError(`the non-SVG element <${el.localName}>`);
  // linkedom keeps attributes newest first: reversed, they are in the order they were set (the DOM's order)
  const attrs = [...el.attributes].reverse().map((a) => ` ${a.name}="${escapeAttribute(a.value)}"`).join("");
  return `<${el.localName}${attrs}>${[...el.childNodes].map(serializeSvg).join("")}</${el.localName}>`;
}
