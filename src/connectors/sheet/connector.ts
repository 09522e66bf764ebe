// The spreadsheet connector: journal sheets (XLSX, CSV) read through a mapping as one observation of a
// school, synced like any platform. Classes, subjects, pupils, periods and period marks are only added or
// updated (a sheet does not prove that a pupil left); marks are proven absent only inside each sheet's scope.
import { readFile } from "node:fs/promises";
import { basename, extname } from "node:path";
import type { School, StreamName, StreamRecords } from "../../model/records.ts";
import type {
  CheckResult,
  Connector,
  Discovery,
  Page,
  ReadOptions,
  ReadScope,
  RejectedRecord,
} from "../types.ts";
import { type CsvEncoding, decodeCsv, parseCsv } from "./csv.ts";
import { readXlsx, rowsGrid, type SheetGrid } from "./grid.ts";
import { readJournalSheet } from "./journal-sheet.ts";
import type { SheetMapping } from "./mapping.ts";
import { schoolYearOf } from "./russian-dates.ts";
import { readSummarySheet } from "./summary-sheet.ts";

export class SheetFileError extends Error {}

export interface SheetImportOptions {
  /** The school when the mapping names none. */
  school?: School;
  /** Starting year of the school year for dates without one; default: the mapping's, else the observation's. */
  schoolYear?: number;
  /** A CSV file's encoding; default: detected (UTF-8 when valid, else windows-1251). */
  encoding?: CsvEncoding;
  /** When the files were observed (ISO 8601 with offset); default: now. */
  observedAt?: string;
}

/** What the files held, gathered per stream. */
export interface SheetContents {
  records: { [S in SheetStream]: StreamRecords[S][] };
  rejected: RejectedRecord[];
  scope: ReadScope[];
  sheets: number;
  attendanceCodes: number;
  encodings: Record<string, CsvEncoding>;
}

const SHEET_STREAMS = [
  "periods",
  "subjects",
  "classes",
  "persons",
  "marks",
  "periodMarks",
] as const satisfies StreamName[];
type SheetStream = (typeof SHEET_STREAMS)[number];
const PAGE_SIZE = 5000;

export async function readGrids(
  path: string,
  encoding?: CsvEncoding,
): Promise<{ grids: SheetGrid[]; encoding?: CsvEncoding }> {
  const file = basename(path);
  const ext = extname(path).toLowerCase();
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch {
    throw new SheetFileError(`${path}: no such file`);
  }
  if (ext === ".csv" || ext === ".txt") {
    const text = decodeCsv(bytes, encoding);
    return {
      grids: [rowsGrid(file, basename(path, extname(path)), parseCsv(text.text))],
      encoding: text.encoding,
    };
  }
  if (ext === ".xlsx" || ext === ".xlsm") {
    try {
      return { grids: await readXlsx(path, file) };
    } catch (err) {
      throw new SheetFileError(`${path}: not a readable XLSX workbook (${(err as Error).message})`);
    }
  }
  if (ext === ".xls")
    throw new SheetFileError(
      `${path}: an old Excel 97–2003 .xls file; save it as .xlsx or .csv and import that`,
    );
  throw new SheetFileError(`${path}: expected a .xlsx or .csv file`);
}

export async function readSheetFiles(
  paths: string[],
  mapping: SheetMapping,
  startYear: number,
  encoding?: CsvEncoding,
): Promise<SheetContents> {
  const out: SheetContents = {
    records: { periods: [], classes: [], subjects: [], persons: [], marks: [], periodMarks: [] },
    rejected: [],
    scope: [],
    sheets: 0,
    attendanceCodes: 0,
    encodings: {},
  };
  const seen = {
    periods: new Set<string>(),
    classes: new Set<string>(),
    subjects: new Set<string>(),
    persons: new Set<string>(),
  };
  for (const path of paths) {
    const { grids, encoding: used } = await readGrids(path, encoding);
    if (used) out.encodings[basename(path)] = used;
    for (const grid of grids) {
      if (mapping.sheets && !mapping.sheets.includes(grid.name)) continue;
      out.sheets++;
      const s =
        mapping.layout === "summary"
          ? readSummarySheet(grid, mapping)
          : readJournalSheet(grid, mapping, startYear);
      for (const k of ["periods", "classes", "subjects", "persons"] as const) {
        for (const r of s[k]) {
          if (seen[k].has(r.id)) continue;
          seen[k].add(r.id);
          (out.records[k] as { id: string }[]).push(r);
        }
      }
      out.records.marks.push(...s.marks);
      out.records.periodMarks.push(...s.periodMarks);
      out.rejected.push(...s.rejected);
      out.scope.push(...s.scope);
      out.attendanceCodes += s.attendanceCodes;
    }
  }
  return out;
}

export class SheetConnector implements Connector {
  readonly kind = "sheet";
  private contents: Promise<SheetContents> | undefined;

  constructor(
    private readonly paths: string[],
    private readonly mapping: SheetMapping,
    private readonly options: SheetImportOptions = {},
  ) {}

  private school(): School {
    const school = this.mapping.school ?? this.options.school;
    if (!school) throw new SheetFileError("the mapping names no school and none was given");
    return school;
  }

  /** The files' contents, read once per connector. */
  loadContents(): Promise<SheetContents> {
    const observed = this.options.observedAt ? new Date(this.options.observedAt) : new Date();
    const startYear = this.options.schoolYear ?? this.mapping.schoolYear ?? schoolYearOf(observed);
    this.contents ??= readSheetFiles(this.paths, this.mapping, startYear, this.options.encoding);
    return this.contents;
  }

  async check(): Promise<CheckResult> {
    const c = await this.loadContents();
    return { ok: true, detail: `${c.sheets} sheet(s) in ${this.paths.length} file(s)` };
  }

  async discover(): Promise<Discovery> {
    const school = this.school();
    await this.loadContents();
    return {
      school,
      streams: [...SHEET_STREAMS],
      ...(this.options.observedAt ? { observedAt: this.options.observedAt } : {}),
    };
  }

  async *read<S extends StreamName>(stream: S, _options: ReadOptions): AsyncIterable<Page<S>> {
    const c = await this.loadContents();
    const records = (c.records[stream as SheetStream] ?? []) as StreamRecords[S][];
    const rejected = c.rejected.filter((r) => r.stream === stream);
    // Only marks are proven absent, inside the sheets' scopes; the other streams are only added to.
    const scope = stream === "marks" ? c.scope : [];
    const total = Math.max(1, records.length);
    for (let i = 0; i === 0 || i < records.length; i += PAGE_SIZE) {
      const first = i === 0;
      yield {
        records: records.slice(i, i + PAGE_SIZE),
        rejected: first ? rejected : [],
        cursor: null,
        scope: first ? scope : [],
        progress: { done: Math.min(i + PAGE_SIZE, total), total },
      };
    }
  }

  stats(): { requests: number; retries: number } {
    return { requests: 0, retries: 0 };
  }
}
