// Reads a PDF back with pdfjs (legacy Node build): text items with their boxes, and drawing ops.
import { getDocument, OPS } from "pdfjs-dist/legacy/build/pdf.mjs";

export interface TextItem {
  str: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface InspectedPage {
  width: number;
  height: number;
  items: TextItem[];
  /** The page's text, items joined by spaces. */
  text: string;
  /** How many times each drawing operator occurs (by pdfjs OPS name). */
  ops: Record<string, number>;
}

const OP_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(OPS).map(([name, code]) => [code, name]),
);

export async function inspectPdf(pdf: Buffer): Promise<InspectedPage[]> {
  const doc = await getDocument({
    data: new Uint8Array(pdf),
    useSystemFonts: false,
    disableFontFace: true,
    isEvalSupported: false,
    verbosity: 0,
  }).promise;
  const pages: InspectedPage[] = [];
  for (let p = 1; p <= doc.numPages; p++) {
    const page = await doc.getPage(p);
    const [x0, y0, x1, y1] = page.view;
    const content = await page.getTextContent();
    const items: TextItem[] = [];
    for (const item of content.items) {
      if (!("str" in item) || item.str === "") continue;
      items.push({
        str: item.str,
        x: item.transform[4],
        y: item.transform[5],
        width: item.width,
        height: item.height,
      });
    }
    const ops: Record<string, number> = {};
    for (const fn of (await page.getOperatorList()).fnArray) {
      const name = OP_NAMES[fn] ?? String(fn);
      ops[name] = (ops[name] ?? 0) + 1;
    }
    pages.push({
      width: x1 - x0,
      height: y1 - y0,
      items,
      text: items.map((i) => i.str).join(" "),
      ops,
    });
  }
  await doc.destroy();
  return pages;
}

/** Occurrences of `needle` in `text`. */
export function countOf(text: string, needle: string): number {
  return text.split(needle).length - 1;
}
