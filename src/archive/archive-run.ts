/**
 * Archives closed periods: for each class the whole journal of each period as one PDF/A-1b, signed,
 * written to every storage target (never overwriting: a re-archive is a new version) and entered in
 * the registry with its retention date. A class's data is read once for all the periods; journals are
 * rendered on worker threads and signed while the next render, but written to the targets and the
 * registry one by one in class order, exactly as a serial run would.
 */
import { randomUUID } from "node:crypto";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Db } from "../store/db.ts";
import { ArchiveError } from "./errors.ts";
import { type RenderedJournal, type RenderJournalOptions, renderJournal } from "./journal.ts";
import {
  type JournalData,
  type JournalPeriod,
  listClasses,
  loadClassJournals,
  loadPeriod,
} from "./journal-data.ts";
import { archiveMessages } from "./messages.ru.ts";
import { DEFAULT_NAME_TEMPLATE, schoolFolderName } from "./naming.ts";
import { validatePdfA1b } from "./pdfa.ts";
import { type ArchiveFileRow, insertArchiveFile } from "./registry-store.ts";
import { JournalRenderPool } from "./render-pool.ts";
import { type StorageTarget, writeReplicas } from "./replicas.ts";
import { type RetentionPolicy, retentionUntil } from "./retention.ts";
import { type SignatureCheck, type SignatureVerdict, type Signer, signatureVerdict } from "./signer.ts";

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
  /**
   * Worker threads rendering journals (no pool for a single journal); 0, the default, renders in this
   * thread. Opt-in until the threaded path is proven to give the same text as the serial one in every
   * run: a long test process once saw the two differ (test/archive/archive-parallel.test.ts).
   */
  renderThreads?: number;
}

export type ArchivePeriodsOptions = Omit<ArchivePeriodOptions, "periodId"> & {
  /** Periods archived in this order for each class (e.g. the quarters and the year). */
  periodIds: readonly string[];
};

export interface ArchivedJournal {
  classId: string;
  classLabel: string;
  periodId: string;
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
  periodId: string;
  reason: "no-lessons";
}

export interface ArchivePeriodResult {
  archived: ArchivedJournal[];
  skipped: SkippedClass[];
}

/** One journal failed: names its class and period; journals before it stay archived, none after it is. */
export class JournalFailedError extends ArchiveError {
  constructor(
    readonly classLabel: string,
    readonly periodLabel: string,
    override readonly cause: unknown,
  ) {
    const message = cause instanceof Error ? cause.message : String(cause);
    super(
      `journal of class ${classLabel}, period ${periodLabel}: ${message}`,
      archiveMessages.journalFailed(
        classLabel,
        periodLabel,
        cause instanceof ArchiveError ? cause.userMessage : archiveMessages.unexpected,
      ),
    );
  }
}

export class NotPdfAError extends ArchiveError {
  constructor(file: string, errors: readonly string[]) {
    super(`${file} is not valid PDF/A-1b: ${errors.slice(0, 5).join("; ")}`, archiveMessages.notPdfA);
  }
}

export async function archivePeriod(db: Db, options: ArchivePeriodOptions): Promise<ArchivePeriodResult> {
  const { periodId, ...rest } = options;
  return archivePeriods(db, { ...rest, periodIds: [periodId] });
}

/** A journal to archive, in the order it is entered in the registry. */
interface Job {
  index: number;
  klass: { id: string; label: string };
  period: JournalPeriod;
  data: JournalData;
}

/** A journal rendered, signed and checked in the run folder, ready for the targets and the registry. */
interface Prepared {
  journal: Omit<RenderedJournal, "pdf">;
  files: string[];
  signature: SignatureCheck;
}

export async function archivePeriods(db: Db, options: ArchivePeriodsOptions): Promise<ArchivePeriodResult> {
  const periods: JournalPeriod[] = [];
  for (const id of options.periodIds) periods.push(await loadPeriod(db, options.schoolId, id));
  const all = await listClasses(db, options.schoolId);
  const classes = options.classIds
    ? options.classIds.map((id) => all.find((c) => c.id === id) ?? { id, label: id })
    : all;
  const total = classes.length * periods.length;
  const threads = Math.min(options.renderThreads ?? 0, total);
  const renderOptions: RenderJournalOptions = {
    createdAt: options.createdAt,
    nameTemplate: options.template ?? DEFAULT_NAME_TEMPLATE,
  };
  // The first journal renders here; the pool starts with the second, so a run of one journal (one
  // class, or the rest without lessons) never pays for starting threads.
  let pool: JournalRenderPool | undefined;
  let rendered = 0;
  const render = (data: JournalData): Promise<RenderedJournal> => {
    if (rendered++ > 0 && threads > 1) pool ??= new JournalRenderPool(threads);
    return pool ? pool.render(data, renderOptions) : renderJournal(data, renderOptions);
  };
  const runDir = resolve(join(options.tmpDir, `run-${randomUUID()}`));
  await mkdir(runDir, { recursive: true });
  const result: ArchivePeriodResult = { archived: [], skipped: [] };

  // One signature at a time: PAdES signing parses the whole PDF in this thread (pdf-lib), and a few
  // year journals parsed at once would cost more memory than the renders; it is quick beside them.
  let signing: Promise<unknown> = Promise.resolve();
  const prepare = async (job: Job): Promise<Prepared> => {
    const { pdf, ...journal } = await render(job.data);
    const classDir = join(runDir, String(job.index));
    const unsignedDir = join(classDir, "unsigned");
    const signedDir = join(classDir, "signed");
    await mkdir(unsignedDir, { recursive: true });
    await mkdir(signedDir, { recursive: true });
    const unsigned = join(unsignedDir, journal.fileName);
    await writeFile(unsigned, pdf);
    const signed = signing.then(() => options.signer.sign(unsigned, signedDir));
    signing = signed.catch(() => {});
    const { files } = await signed;
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
    return { journal, files, signature };
  };

  // Renders and signatures run ahead of the registry by a few journals (bounded: memory stays that of
  // a few journals whatever the school); entries are committed strictly in order.
  const ahead = Math.max(1, threads) * 2;
  const inFlight: { job: Job; prepared: Promise<Prepared> }[] = [];
  let done = 0;
  const commitNext = async () => {
    const { job, prepared } = inFlight.shift()!;
    options.onProgress?.(done, total, job.klass.label);
    let ready: Prepared;
    try {
      ready = await prepared;
    } catch (error) {
      throw new JournalFailedError(job.data.classLabel, job.period.label, error);
    }
    result.archived.push(await commit(db, options, job, ready));
    done += 1;
  };
  try {
    for (const klass of classes) {
      const journals = await loadClassJournals(db, options.schoolId, klass.id, periods);
      for (const data of journals) {
        const job: Job = { index: done + inFlight.length, klass, period: data.period, data };
        if (data.subjects.every((s) => s.lessons.length === 0)) {
          // skipped in order too: settle what is ahead of it first
          while (inFlight.length > 0) await commitNext();
          options.onProgress?.(done, total, klass.label);
          result.skipped.push({
            classId: klass.id,
            classLabel: data.classLabel,
            periodId: data.period.id,
            reason: "no-lessons",
          });
          done += 1;
          continue;
        }
        const prepared = prepare(job);
        prepared.catch(() => {}); // awaited in order by commitNext; never an unhandled rejection
        inFlight.push({ job, prepared });
        while (inFlight.length >= ahead) await commitNext();
      }
    }
    while (inFlight.length > 0) await commitNext();
    options.onProgress?.(total, total, "");
    return result;
  } finally {
    // a failed run: let the journals already under way finish before their folder goes
    await Promise.allSettled(inFlight.map((f) => f.prepared));
    await pool?.close();
    await rm(runDir, { recursive: true, force: true });
  }
}

/** Writes a prepared journal to every target and enters it in the registry. */
async function commit(
  db: Db,
  options: ArchivePeriodsOptions,
  job: Job,
  { journal, files, signature }: Prepared,
): Promise<ArchivedJournal> {
  const { data, period, klass } = job;
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
  return {
    classId: klass.id,
    classLabel: data.classLabel,
    periodId: period.id,
    row,
    pages: journal.pages,
    signature: signatureVerdict(signature),
    paths: options.targets.map((t) => resolve(t.path, written.entry.file)),
  };
}
