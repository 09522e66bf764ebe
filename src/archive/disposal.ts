/**
 * Disposal (000 §6.5, 001 §6): registry rows whose retention has ended are listed; an act
 * «о выделении к уничтожению» (PDF/A) is produced only with explicit confirmation. Nothing is
 * deleted by the program: the commission destroys the media copies after the act is approved.
 */

import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Column, Row } from "../reports/model.ts";
import { PdfWriter } from "../reports/render-pdf.ts";
import type { Db } from "../store/db.ts";
import { ArchiveError } from "./errors.ts";
import { formatDate } from "./journal.ts";
import { journalMessages } from "./journal-messages.ru.ts";
import { type ArchiveFileRow, listArchiveFiles, markInDisposalAct } from "./registry-store.ts";
import { dueForDisposal } from "./retention.ts";
import { writeNewFile } from "./safe-fs.ts";

const msg = journalMessages.disposal;

export class DisposalNotConfirmedError extends ArchiveError {
  constructor(count: number) {
    super(
      `a disposal act for ${count} archived document(s) needs explicit confirmation (--confirm)`,
      `Акт о выделении к уничтожению ${count} документов формируется только с явным подтверждением.`,
    );
  }
}

/** Registry rows of the school past retention on `today` and not yet in a disposal act. */
export async function dueArchiveFiles(
  db: Db,
  schoolId: string | undefined,
  today: string,
): Promise<ArchiveFileRow[]> {
  const rows = (await listArchiveFiles(db, schoolId)).filter((r) => r.disposalAct === null);
  return dueForDisposal(rows, today);
}

export interface DisposalActResult {
  /** Absolute path of the act PDF. */
  file: string;
  rows: ArchiveFileRow[];
}

/** Renders the act for the given rows (portrait A4, PDF/A-1b). */
export async function renderDisposalAct(
  rows: readonly ArchiveFileRow[],
  today: string,
  schoolName: string,
): Promise<Buffer> {
  const writer = new PdfWriter({
    orientation: "portrait",
    title: `${msg.title} ${msg.subtitle}`,
    author: schoolName,
  });
  writer.paragraph(schoolName, { align: "center", size: 11, gap: 10 });
  writer.paragraph(msg.title, { align: "center", bold: true, size: 16, gap: 2 });
  writer.paragraph(msg.subtitle, { align: "center", bold: true, size: 12, gap: 12 });
  writer.paragraph(msg.basis(formatDate(today)), { size: 10, gap: 8 });
  const c = msg.columns;
  const columns: Column[] = [
    { key: "n", title: c.number, kind: "int" },
    { key: "file", title: c.file, kind: "text", width: 30 },
    { key: "kind", title: c.kind, kind: "text", width: 16 },
    { key: "klass", title: c.klass, kind: "text", width: 7 },
    { key: "period", title: c.period, kind: "text", width: 9 },
    { key: "year", title: c.year, kind: "text", width: 11 },
    { key: "until", title: c.until, kind: "text", width: 11 },
    { key: "sha", title: c.sha256, kind: "text", width: 14 },
  ];
  const data: Row[] = rows.map((r, i) => ({
    n: i + 1,
    file: r.archivedPath,
    kind: r.kind === "journal" ? msg.kindJournal : msg.kindSummary,
    klass: r.classLabel ?? "",
    period: r.periodLabel ?? "",
    year: r.year,
    until: formatDate(r.retentionUntil),
    sha: r.sha256.slice(0, 12),
  }));
  writer.table(columns, data, { fontSize: 8 });
  writer.paragraph(msg.total(rows.length), { bold: true, gap: 16 });
  for (const line of msg.signatures) writer.paragraph(line, { size: 10, gap: 10 });
  writer.paragraph(msg.noteKept, { size: 8.5, color: "#52606d" });
  return writer.finish();
}

/**
 * Writes the act for everything due on `today` into outDir and records it in the registry.
 * Without `confirm` it throws DisposalNotConfirmedError and changes nothing.
 */
export async function makeDisposalAct(
  db: Db,
  options: { schoolId?: string; today: string; confirm: boolean; outDir: string },
): Promise<DisposalActResult> {
  const rows = await dueArchiveFiles(db, options.schoolId, options.today);
  if (rows.length === 0)
    throw new ArchiveError("nothing is due for disposal", "Нет документов с истёкшим сроком хранения.");
  if (!options.confirm) throw new DisposalNotConfirmedError(rows.length);
  const [school] = await db.query<{ name: string }>("SELECT name FROM schools WHERE id = $1", [
    rows[0].schoolId,
  ]);
  const pdf = await renderDisposalAct(rows, options.today, school?.name ?? rows[0].schoolId);
  await mkdir(options.outDir, { recursive: true });
  const file = resolve(join(options.outDir, `акт_выделения_к_уничтожению_${options.today}.pdf`));
  await writeNewFile(file, pdf);
  await markInDisposalAct(
    db,
    rows.map((r) => r.id),
    file,
  );
  return { file, rows };
}
