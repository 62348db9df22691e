/**
 * The part of a DOM that Observable Plot draws an SVG with, serialised as jsdom serialises an SVG
 * element of an HTML document (`outerHTML`: parse5's HTML serialiser). jsdom costs ~40 MB of heap
 * (and ~1 s of loading) in the plot worker, beside the training; this is a few kB. Plot calls the
 * DOM only through d3-selection and a handful of methods (create, attributes, children, text,
 * style); anything else throws ({@link SvgDomUnsupportedError}), and the renderer then draws that
 * figure with jsdom instead. render.test.ts checks the two give byte-identical SVG for every mark.
 */

const HTML_NS = "http://www.w3.org/1999/xhtml";
const XLINK_NS = "http://www.w3.org/1999/xlink";
const XML_NS = "http://www.w3.org/XML/1998/namespace";
const XMLNS_NS = "http://www.w3.org/2000/xmlns/";

/** A DOM feature Plot reached that this shim does not have (the figure then goes through jsdom). */
export class SvgDomUnsupportedError extends Error {
  constructor(what: string) {
    super(`svg-dom: ${what} is not supported`);
    this.name = "SvgDomUnsupportedError";
  }
}

// parse5's serialiser escapes through `entities`: these characters in attribute values and text
const ESCAPES: Record<string, string> = { "&": "&amp;", "\"": "&quot;", "<": "&lt;", ">": "&gt;", "\u00a0": "&nbsp;" };
const escapeAttribute = (s: string): string => s.replace(/["&<>\u00a0]/g, (c) => ESCAPES[c]!);
const escapeText = (s: string): string => s.replace(/[&<>\u00a0]/g, (c) => ESCAPES[c]!);
// HTML elements whose text parse5 writes unescaped, and HTML void elements (no end tag)
const RAW_TEXT = new Set(["style", "script", "xmp", "iframe", "noembed", "noframes", "plaintext"]);
const VOID = new Set(["area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "img", "input", "keygen", "link", "meta", "param", "source", "track", "wbr"]);

abstract class ShimNode {
  parentNode: ShimElement | null = null;
  abstract readonly nodeType: number;
  constructor(readonly ownerDocument: ShimDocument) {}

  get nextSibling(): ShimNode | null {
    const sibs = this.parentNode?.childNodes;
    if (!sibs) return null;
    return sibs[sibs.indexOf(this) + 1] ?? null;
  }

  get previousSibling(): ShimNode | null {
    const sibs = this.parentNode?.childNodes;
    if (!sibs) return null;
    return sibs[sibs.indexOf(this) - 1] ?? null;
  }

  remove(): void {
    const p = this.parentNode;
    if (!p) return;
    p.childNodes.splice(p.childNodes.indexOf(this), 1);
    this.parentNode = null;
  }

  replaceWith(...nodes: (ShimNode | string)[]): void {
    const p = this.parentNode;
    if (!p) return;
    const next = this.nextSibling;
    this.remove();
    for (const n of nodes) p.insertBefore(p.ownerDocument.toNode(n), next);
  }

  abstract get textContent(): string;
  abstract serialize(parentIsRawText: boolean): string;
}

class ShimText extends ShimNode {
  readonly nodeType = 3;
  constructor(doc: ShimDocument, public data: string) {
    super(doc);
  }
  get textContent(): string { return this.data; }
  set textContent(v: string) { this.data = String(v); }
  get nodeValue(): string { return this.data; }
  serialize(parentIsRawText: boolean): string { return parentIsRawText ? this.data : escapeText(this.data); }
}

interface Attr { name: string; value: string; namespace: string | null; prefix: string | null }

/**
 * `element.style`: only whole strings (Plot's `style` option as a string) are supported. jsdom
 * normalises single properties (quotes, shorthands) in ways not reproduced here, so setting one throws.
 */
function shimStyle(el: ShimElement): object {
  return new Proxy({}, {
    get(_, p) {
      if (p === "cssText") return el.getAttribute("style") ?? "";
      throw new SvgDomUnsupportedError(`style.${String(p)}`);
    },
    set(_, p, v) {
      if (p !== "cssText") throw new SvgDomUnsupportedError(`style.${String(p)}`);
      el.setAttribute("style", String(v));
      return true;
    },
  });
}

class ShimElement extends ShimNode {
  readonly nodeType = 1;
  readonly childNodes: ShimNode[] = [];
  readonly attributes: Attr[] = [];
  private styleObject?: object;
  // d3-selection keeps bound data here
  __data__?: unknown;

  constructor(doc: ShimDocument, readonly namespaceURI: string, readonly localName: string) {
    super(doc);
  }

  get tagName(): string { return this.namespaceURI === HTML_NS ? this.localName.toUpperCase() : this.localName; }
  get nodeName(): string { return this.tagName; }
  get children(): ShimElement[] { return this.childNodes.filter((n): n is ShimElement => n instanceof ShimElement); }
  get firstChild(): ShimNode | null { return this.childNodes[0] ?? null; }
  get lastChild(): ShimNode | null { return this.childNodes[this.childNodes.length - 1] ?? null; }
  get firstElementChild(): ShimElement | null { return this.children[0] ?? null; }

  private find(name: string, ns: string | null = null): Attr | undefined {
    return this.attributes.find((a) => a.name === name && a.namespace === ns);
  }
  getAttribute(name: string): string | null { return this.find(name)?.value ?? null; }
  hasAttribute(name: string): boolean { return this.find(name) !== undefined; }
  setAttribute(name: string, value: unknown): void {
    const a = this.find(name);
    if (a) a.value = String(value);
    else this.attributes.push({ name, value: String(value), namespace: null, prefix: null });
  }
  removeAttribute(name: string): void {
    const i = this.attributes.findIndex((a) => a.name === name && a.namespace === null);
    if (i >= 0) this.attributes.splice(i, 1);
  }
  setAttributeNS(ns: string | null, qualified: string, value: unknown): void {
    if (ns === null) { this.setAttribute(qualified, value); return; }
    const i = qualified.indexOf(":");
    const prefix = i >= 0 ? qualified.slice(0, i) : null, name = i >= 0 ? qualified.slice(i + 1) : qualified;
    const a = this.find(name, ns);
    if (a) a.value = String(value);
    else this.attributes.push({ name, value: String(value), namespace: ns, prefix });
  }
  removeAttributeNS(ns: string | null, name: string): void {
    const i = this.attributes.findIndex((a) => a.name === name && a.namespace === ns);
    if (i >= 0) this.attributes.splice(i, 1);
  }

  get className(): string { return this.getAttribute("class") ?? ""; }
  set className(v: string) { this.setAttribute("class", v); }

  get style(): object { return (this.styleObject ??= shimStyle(this)); }
  set style(v: unknown) {
    if (typeof v !== "string") throw new SvgDomUnsupportedError("style set to a non-string");
    this.setAttribute("style", v);
  }

  insertBefore<T extends ShimNode>(node: T, ref: ShimNode | null | undefined): T {
    if (!(node instanceof ShimNode)) throw new SvgDomUnsupportedError("inserting a foreign node");
    if (ref != null && ref.parentNode !== this) throw new SvgDomUnsupportedError("insertBefore with a node of another parent");
    node.remove();
    if (ref == null) this.childNodes.push(node);
    else this.childNodes.splice(this.childNodes.indexOf(ref), 0, node);
    node.parentNode = this;
    return node;
  }
  appendChild<T extends ShimNode>(node: T): T { return this.insertBefore(node, null); }
  removeChild<T extends ShimNode>(node: T): T {
    if (node.parentNode !== this) throw new SvgDomUnsupportedError("removeChild of a node of another parent");
    node.remove();
    return node;
  }
  append(...nodes: (ShimNode | string)[]): void {
    for (const n of nodes) this.appendChild(this.ownerDocument.toNode(n));
  }

  get textContent(): string { return this.childNodes.map((n) => n.textContent).join(""); }
  set textContent(v: unknown) {
    for (const c of [...this.childNodes]) c.remove();
    const s = v == null ? "" : String(v);
    if (s !== "") this.appendChild(new ShimText(this.ownerDocument, s));
  }

  cloneNode(deep = false): ShimElement {
    const c = new ShimElement(this.ownerDocument, this.namespaceURI, this.localName);
    for (const a of this.attributes) c.attributes.push({ ...a });
    if (deep) for (const n of this.childNodes) c.appendChild(n instanceof ShimElement ? n.cloneNode(true) : new ShimText(this.ownerDocument, n.textContent));
    return c;
  }

  querySelector(): never { throw new SvgDomUnsupportedError("querySelector"); }
  querySelectorAll(): never { throw new SvgDomUnsupportedError("querySelectorAll"); }
  // interactions (pointer, tip) attach listeners; nothing fires them in a static render
  addEventListener(): void {}
  removeEventListener(): void {}
  dispatchEvent(): never { throw new SvgDomUnsupportedError("dispatchEvent"); }
  getBBox(): never { throw new SvgDomUnsupportedError("getBBox"); }

  get outerHTML(): string { return this.serialize(); }

  serialize(): string {
    let attrs = "";
    for (const a of this.attributes) {
      const name = a.namespace === null ? a.name
        : a.namespace === XML_NS ? `xml:${a.name}`
        : a.namespace === XMLNS_NS ? (a.name === "xmlns" ? "xmlns" : `xmlns:${a.name}`)
        : a.namespace === XLINK_NS ? `xlink:${a.name}`
        : `${a.prefix}:${a.name}`;
      attrs += ` ${name}="${escapeAttribute(a.value)}"`;
    }
    const html = this.namespaceURI === HTML_NS;
    if (html && VOID.has(this.localName)) return `<${this.localName}${attrs}>`;
    const raw = html && RAW_TEXT.has(this.localName);
    return `<${this.localName}${attrs}>${this.childNodes.map((n) => n.serialize(raw)).join("")}</${this.localName}>`;
  }
}

/** A document for `Plot.plot({ document })`: elements are created in it and serialised with `outerHTML`. */
export class ShimDocument {
  readonly documentElement: ShimElement;
  constructor() {
    this.documentElement = new ShimElement(this, HTML_NS, "html");
  }
  createElementNS(ns: string | null, qualified: string): ShimElement {
    if (ns === null) throw new SvgDomUnsupportedError("createElementNS without a namespace");
    const i = qualified.indexOf(":");
    return new ShimElement(this, ns, i >= 0 ? qualified.slice(i + 1) : qualified);
  }
  createElement(name: string): ShimElement { return new ShimElement(this, HTML_NS, name.toLowerCase()); }
  createTextNode(data: string): ShimText { return new ShimText(this, String(data)); }
  /** @internal a node, or a text node for a string (append, replaceWith). */
  toNode(n: ShimNode | string): ShimNode { return typeof n === "string" ? this.createTextNode(n) : n; }
  get defaultView(): never { throw new SvgDomUnsupportedError("defaultView"); }
}
