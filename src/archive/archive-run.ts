/**
 * Archives a closed period: for each class the whole journal as one PDF/A-1b, signed, written to
 * every storage target (never overwriting: a re-archive is a new version) and entered in the
 * registry with its retention date.
 */
import { randomUUID } from "node:crypto";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Db } from "../store/db.ts";
import { ArchiveError } from "./errors.ts";
import { renderJournal } from "./journal.ts";
import { listClasses, loadJournalData, loadPeriod } from "./journal-data.ts";
import { archiveMessages } from "./messages.ru.ts";
import { DEFAULT_NAME_TEMPLATE, schoolFolderName } from "./naming.ts";
import { validatePdfA1b } from "./pdfa.ts";
import { type ArchiveFileRow, insertArchiveFile } from "./registry-store.ts";
import { type StorageTarget, writeReplicas } from "./replicas.ts";
import { type RetentionPolicy, retentionUntil } from "./retention.ts";
import { type SignatureVerdict, type Signer, signatureVerdict } from "./signer.ts";

export interface ArchivePeriodOptions {
  schoolId: string;
  periodId: string;
  /** Default: every live class of the school that had lessons in the period. */
  classIds?: readonly string[];
  signer: Signer;
  targets: readonly StorageTarget[];
  template?: string;
  /** Working folder; a fresh sub-folder is made and removed per run. */
  tmpDir: string;
  retention?: RetentionPolicy;
  /** Run PDFBox Preflight on each signed journal (slow: one JVM per file). */
  validate?: boolean;
  /** Creation time in the PDFs; default now. */
  createdAt?: Date;
  onProgress?: (done: number, total: number, classLabel: string) => void;
}

export interface ArchivedJournal {
  classId: string;
  classLabel: string;
  /** The registry row (file name, version, sha256, replicas…). */
  row: ArchiveFileRow;
  pages: number;
  /** What the fresh signature check proved ("integrity-only" without trusted CA certificates). */
  signature: SignatureVerdict;
  /** Absolute paths of the document on every target. */
  paths: string[];
}

export interface SkippedClass {
  classId: string;
  classLabel: string;
  reason: "no-lessons";
}

export interface ArchivePeriodResult {
  archived: ArchivedJournal[];
  skipped: SkippedClass[];
}

export class NotPdfAError extends ArchiveError {
  constructor(file: string, errors: readonly string[]) {
    super(`${file} is not valid PDF/A-1b: ${errors.slice(0, 5).join("; ")}`, archiveMessages.notPdfA);
  }
}

export async function archivePeriod(db: Db, options: ArchivePeriodOptions): Promise<ArchivePeriodResult> {
  const period = await loadPeriod(db, options.schoolId, options.periodId);
  const all = await listClasses(db, options.schoolId);
  const classes = options.classIds
    ? options.classIds.map((id) => all.find((c) => c.id === id) ?? { id, label: id })
    : all;
  const runDir = resolve(join(options.tmpDir, `run-${randomUUID()}`));
  await mkdir(runDir, { recursive: true });
  const result: ArchivePeriodResult = { archived: [], skipped: [] };
  try {
    for (const [index, klass] of classes.entries()) {
      options.onProgress?.(index, classes.length, klass.label);
      const data = await loadJournalData(db, options.schoolId, klass.id, period.id);
      if (data.subjects.every((s) => s.lessons.length === 0)) {
        result.skipped.push({ classId: klass.id, classLabel: data.classLabel, reason: "no-lessons" });
        continue;
      }
      const journal = await renderJournal(data, {
        createdAt: options.createdAt,
        nameTemplate: options.template ?? DEFAULT_NAME_TEMPLATE,
      });
      const classDir = join(runDir, String(index));
      const unsignedDir = join(classDir, "unsigned");
      const signedDir = join(classDir, "signed");
      await mkdir(unsignedDir, { recursive: true });
      await mkdir(signedDir, { recursive: true });
      const unsigned = join(unsignedDir, journal.fileName);
      await writeFile(unsigned, journal.pdf);
      const { files } = await options.signer.sign(unsigned, signedDir);
      if (options.validate) {
        const check = await validatePdfA1b(files[0]);
        if (!check.valid) throw new NotPdfAError(journal.fileName, check.errors);
      }
      const signature = await options.signer.verify(files);
      if (!signature.valid) {
        throw new ArchiveError(
          `fresh signature of ${journal.fileName} does not verify: ${signature.detail ?? signature.reason}`,
          signature.reason ?? archiveMessages.signature.invalid,
        );
      }
      const until = retentionUntil("journal", period.end, options.retention);
      const written = await writeReplicas(files, options.targets, {
        // the school's own folder: two schools on the same media never share a path
        relativePath: `${schoolFolderName(options.schoolId)}/${data.year}/${journal.fileName}`,
        entry: {
          school: options.schoolId,
          schoolName: data.school.name,
          class: data.classLabel,
          period: period.label,
          year: data.year,
          kind: "journal",
          signer: signature.signer,
          signedAt: signature.signedAt,
          signatureKind: options.signer.kind,
          signerVerified: signature.signerVerified === true,
          retentionUntil: until,
        },
      });
      const archivedAt = new Date(written.entry.archivedAt);
      const row = await insertArchiveFile(db, {
        schoolId: options.schoolId,
        fileName: journal.fileName,
        version: written.version,
        kind: "journal",
        classId: klass.id,
        classLabel: data.classLabel,
        periodId: period.id,
        periodLabel: period.label,
        year: data.year,
        sha256: written.entry.sha256,
        files: written.entry.files,
        archivedPath: written.entry.file,
        pages: journal.pages,
        signerKind: options.signer.kind,
        signerSubject: signature.signer ?? null,
        signedAt: signature.signedAt ? new Date(signature.signedAt) : null,
        archivedAt,
        retentionUntil: until,
        replicas: options.targets.map((t) => ({
          target: t.id,
          path: written.entry.file,
          lastVerifiedAt: archivedAt.toISOString(),
          status: "ok" as const,
        })),
      });
      result.archived.push({
        classId: klass.id,
        classLabel: data.classLabel,
        row,
        pages: journal.pages,
        signature: signatureVerdict(signature),
        paths: options.targets.map((t) => resolve(t.path, written.entry.file)),
      });
    }
    options.onProgress?.(classes.length, classes.length, "");
    return result;
  } finally {
    await rm(runDir, { recursive: true, force: true });
  }
}
