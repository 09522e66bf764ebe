/** Small PDF/A-1b journals made with pdfkit (PDF 1.4, PT Sans embedded, Cyrillic text) and non-PDF/A foils. */
import { createWriteStream } from "node:fs";
import { writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { PDFDocument as PdfLibDocument } from "pdf-lib";
import PDFDocument from "pdfkit";

const require = createRequire(import.meta.url);
const PT_SANS = require.resolve("@expo-google-fonts/pt-sans/400Regular/PTSans_400Regular.ttf");

export async function writePdfA1b(
  file: string,
  lines: readonly string[] = ["Электронный журнал 5А"],
): Promise<void> {
  const doc = new PDFDocument({
    pdfVersion: "1.4",
    subset: "PDF/A-1b",
    size: "A4",
    info: { Title: "Электронный журнал", Author: "reglament" },
  });
  const done = new Promise<void>((resolve, reject) => {
    const stream = createWriteStream(file);
    stream.on("finish", () => resolve());
    stream.on("error", reject);
    doc.pipe(stream);
  });
  doc.registerFont("PTSans", PT_SANS);
  doc.font("PTSans").fontSize(12);
  for (const line of lines) doc.text(line);
  doc.end();
  await done;
}

/** A plain pdf-lib PDF: no XMP, no output intent, no trailer ID — not PDF/A. */
export async function writePlainPdf(file: string): Promise<void> {
  const doc = await PdfLibDocument.create();
  doc.addPage().drawText("plain");
  await writeFile(file, await doc.save());
}
