// The report model: every report is data first (this shape), then rendered to PDF, XLSX, CSV or
// JSON by one renderer per format. Renderers read only this model, so a report built once looks
// the same in every format and the JSON form is the model itself.
import { z } from "zod";

/** A label and its value, e.g. «Класс: 5А» in the parameters or «Итого: 28» under a section. */
export const labelledValueSchema = z.object({
  label: z.string().min(1),
  value: z.union([z.string(), z.number()]),
});
export type LabelledValue = z.infer<typeof labelledValueSchema>;

/**
 * How a column's values are typed and shown:
 * text as is; int/decimal as numbers; percent as a number in percent units (87.5 means 87.5 %);
 * date as `YYYY-MM-DD` (shown as ДД.ММ.ГГГГ).
 */
export const columnKindSchema = z.enum(["text", "int", "decimal", "percent", "date"]);
export type ColumnKind = z.infer<typeof columnKindSchema>;

export const columnSchema = z.object({
  key: z.string().min(1),
  /** Russian column heading. */
  title: z.string().min(1),
  kind: columnKindSchema,
  /** Relative width weight (e.g. 1, 2, 3); when absent the renderer sizes the column from content. */
  width: z.number().positive().max(100).optional(),
  /** Digits after the decimal point for decimal (default 2) and percent (default 1) columns. */
  digits: z.number().int().min(0).max(6).optional(),
});
export type Column = z.infer<typeof columnSchema>;

export const cellValueSchema = z.union([z.string(), z.number().finite(), z.null()]);
export type CellValue = z.infer<typeof cellValueSchema>;

export const rowSchema = z.record(z.string(), cellValueSchema);
export type Row = z.infer<typeof rowSchema>;

export const tableSchema = z
  .object({
    /** Optional caption above the table (also names the XLSX sheet). */
    caption: z.string().min(1).optional(),
    columns: z.array(columnSchema).min(1),
    rows: z.array(rowSchema),
    /** A last row shown in bold («Итого»), kept apart so renderers can style it. */
    totalsRow: rowSchema.optional(),
  })
  .superRefine((table, ctx) => {
    const seen = new Set<string>();
    for (const [i, column] of table.columns.entries()) {
      if (seen.has(column.key)) {
        ctx.addIssue({
          code: "custom",
          message: `duplicate column key "${column.key}"`,
          path: ["columns", i, "key"],
        });
      }
      seen.add(column.key);
    }
  });
export type Table = z.infer<typeof tableSchema>;

export const chartSchema = z
  .object({
    kind: z.enum(["bar", "line"]),
    title: z.string().min(1),
    categories: z.array(z.string()).min(1),
    series: z
      .array(z.object({ name: z.string().min(1), values: z.array(z.number().finite()) }))
      .min(1)
      .max(12),
    /** Unit of the values, e.g. "%" or "балл". */
    unit: z.string().optional(),
  })
  .superRefine((chart, ctx) => {
    for (const [i, series] of chart.series.entries()) {
      if (series.values.length !== chart.categories.length) {
        ctx.addIssue({
          code: "custom",
          message: `series "${series.name}" has ${series.values.length} values for ${chart.categories.length} categories`,
          path: ["series", i, "values"],
        });
      }
    }
  });
export type Chart = z.infer<typeof chartSchema>;

export const sectionSchema = z.object({
  heading: z.string().min(1).optional(),
  paragraphs: z.array(z.string()).optional(),
  tables: z.array(tableSchema).optional(),
  chart: chartSchema.optional(),
  totals: z.array(labelledValueSchema).optional(),
});
export type Section = z.infer<typeof sectionSchema>;

export const orientationSchema = z.enum(["portrait", "landscape"]);
export type Orientation = z.infer<typeof orientationSchema>;

export const reportSchema = z.object({
  /** Stable machine id of the report type, e.g. `class-period-results`. */
  kind: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]*$/, "expected a kebab-case report kind, e.g. class-period-results"),
  /** Russian title as printed. */
  title: z.string().min(1),
  subtitle: z.string().min(1).optional(),
  parameters: z.array(labelledValueSchema),
  /** When the report was built: ISO 8601 with offset, shown in that offset (the school's). */
  generatedAt: z
    .string()
    .regex(
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/,
      "expected ISO 8601 time with offset",
    )
    .refine((s) => !Number.isNaN(Date.parse(s)), "not a real time"),
  orientation: orientationSchema,
  sections: z.array(sectionSchema),
});
export type Report = z.infer<typeof reportSchema>;

/** A report failed validation; `message` lists every problem with its path. */
export class ReportModelError extends Error {
  constructor(readonly issues: string) {
    super(`invalid report model:\n${issues}`);
    this.name = "ReportModelError";
  }
}

/** Validates an untrusted report (e.g. from a builder or an API payload); throws ReportModelError. */
export function parseReport(input: unknown): Report {
  const result = reportSchema.safeParse(input);
  if (!result.success) throw new ReportModelError(z.prettifyError(result.error));
  return result.data;
}

/** Every table of a report with where it came from, charts included as category × series tables. */
export interface ReportTableRef {
  sectionIndex: number;
  /** Heading shown above the table: the caption, else the section heading. */
  name: string | undefined;
  table: Table;
}

/** The data of a chart as a table (first column the categories, one column per series). */
export function chartAsTable(chart: Chart, categoryTitle: string): Table {
  const columns: Column[] = [
    { key: "category", title: categoryTitle, kind: "text" },
    ...chart.series.map((s, i) => ({
      key: `s${i}`,
      title: chart.unit ? `${s.name}, ${chart.unit}` : s.name,
      kind: "decimal" as const,
    })),
  ];
  const rows: Row[] = chart.categories.map((category, c) => {
    const row: Row = { category };
    chart.series.forEach((s, i) => {
      row[`s${i}`] = s.values[c] ?? null;
    });
    return row;
  });
  return { caption: chart.title, columns, rows };
}

/** Every table of a report in reading order, each chart's data following its section's tables. */
export function reportTables(report: Report, chartCategoryTitle: string): ReportTableRef[] {
  const refs: ReportTableRef[] = [];
  report.sections.forEach((section, sectionIndex) => {
    for (const table of section.tables ?? []) {
      refs.push({ sectionIndex, name: table.caption ?? section.heading, table });
    }
    if (section.chart) {
      refs.push({
        sectionIndex,
        name: section.chart.title,
        table: chartAsTable(section.chart, chartCategoryTitle),
      });
    }
  });
  return refs;
}
