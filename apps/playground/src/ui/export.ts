// PNG and SVG export of a drawn plot (Observable Plot's SVG, or a canvas for uPlot charts).

function download(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function fileName(label: string): string {
  return label.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 60) || "plot";
}

/** A standalone SVG string of `svg`: the page's text colour and background inlined (dark mode included). */
export function serializeSvg(svg: SVGSVGElement): { text: string; width: number; height: number } {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const cs = getComputedStyle(svg);
  const bg = getComputedStyle(document.body).backgroundColor || "white";
  clone.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  clone.setAttribute("xmlns:xlink", "http://www.w3.org/1999/xlink");
  const vb = svg.viewBox.baseVal;
  const width = vb && vb.width ? vb.width : svg.clientWidth;
  const height = vb && vb.height ? vb.height : svg.clientHeight;
  clone.setAttribute("width", String(width));
  clone.setAttribute("height", String(height));
  clone.setAttribute("style", `color:${cs.color};background:${bg};font-family:${cs.fontFamily};font-size:10px`);
  const rect = document.createElementNS("http://www.w3.org/2000/svg", "rect");
  rect.setAttribute("width", "100%");
  rect.setAttribute("height", "100%");
  rect.setAttribute("fill", bg);
  clone.insertBefore(rect, clone.firstChild);
  return { text: new XMLSerializer().serializeToString(clone), width, height };
}

export function exportSvg(svg: SVGSVGElement, label: string): void {
  download(new Blob([serializeSvg(svg).text], { type: "image/svg+xml" }), `${fileName(label)}.svg`);
}

/** Rasterises the SVG at 2× (image decoding happens off the main thread). */
export async function exportSvgAsPng(svg: SVGSVGElement, label: string): Promise<void> {
  const { text, width, height } = serializeSvg(svg);
  const url = URL.createObjectURL(new Blob([text], { type: "image/svg+xml" }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(width * 2);
    canvas.height = Math.round(height * 2);
    const ctx = canvas.getContext("2d")!;
    ctx.scale(2, 2);
    ctx.drawImage(img, 0, 0, width, height);
    const blob = await new Promise<Blob | null>((r) => canvas.toBlob(r, "image/png"));
    if (blob) download(blob, `${fileName(label)}.png`);
  } finally {
    URL.revokeObjectURL(url);
  }
}

export async function exportCanvasAsPng(canvas: HTMLCanvasElement, label: string): Promise<void> {
  const bg = getComputedStyle(document.body).backgroundColor || "white";
  const out = document.createElement("canvas");
  out.width = canvas.width;
  out.height = canvas.height;
  const ctx = out.getContext("2d")!;
  ctx.fillStyle = bg;
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.drawImage(canvas, 0, 0);
  const blob = await new Promise<Blob | null>((r) => out.toBlob(r, "image/png"));
  if (blob) download(blob, `${fileName(label)}.png`);
}
