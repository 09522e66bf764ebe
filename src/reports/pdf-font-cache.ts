// PT Sans parsed once per thread and shared by every pdfkit document it renders. pdfkit opens a font
// file anew for each document (read, parse, and shape every word again); a thread rendering a whole
// archive would repeat that for each journal. Each document still gets its own subset (only the glyphs
// it uses are embedded), only the parsed font and the shaped words are shared.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
// pdfkit's own fontkit, so the font objects are the kind pdfkit's EmbeddedFont expects
const fontkit = createRequire(require.resolve("pdfkit"))("fontkit") as {
  create(buffer: Uint8Array): unknown;
};

/** Shaped words kept per font; past this the cache starts over (a bound on memory, not a tuning knob). */
const LAYOUT_CACHE_LIMIT = 50_000;

interface SharedFont {
  font: unknown;
  layouts: Record<string, unknown>;
}

const fonts = new Map<string, SharedFont>();

function shared(path: string): SharedFont {
  let entry = fonts.get(path);
  if (!entry) {
    entry = { font: fontkit.create(readFileSync(path)), layouts: Object.create(null) };
    fonts.set(path, entry);
  }
  return entry;
}

/** pdfkit's EmbeddedFont, as far as it is touched here. */
interface EmbeddedFontLike {
  layoutCache?: Record<string, unknown>;
}

/**
 * Registers `paths` on `doc` (under their own path, as the writers select them) with the thread's
 * parsed font and shaped-word cache. Call right after creating the document, before any text.
 */
export function useSharedFonts(doc: PDFKit.PDFDocument, paths: readonly string[]): void {
  const inner = doc as unknown as {
    registerFont(name: string, src: unknown): void;
    font(name: string): unknown;
    _font: EmbeddedFontLike;
  };
  for (const path of paths) {
    const entry = shared(path);
    if (Object.keys(entry.layouts).length > LAYOUT_CACHE_LIMIT) entry.layouts = Object.create(null);
    inner.registerFont(path, entry.font);
    inner.font(path);
    // pdfkit caches shaped words per document (EmbeddedFont.layoutCache, scaled to its 1000-unit em);
    // the runs depend only on the font, so the thread's documents share one cache
    if (inner._font.layoutCache) inner._font.layoutCache = entry.layouts;
  }
}
