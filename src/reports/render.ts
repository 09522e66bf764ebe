// One entry point for every report format; validates the model before any renderer sees it.
import { z } from "zod";
import { parseReport } from "./model.ts";
import { renderCsv } from "./render-csv.ts";
import { renderJson } from "./render-json.ts";
import { renderPdf } from "./render-pdf.ts";
import { renderXlsx } from "./render-xlsx.ts";

export const reportFormatSchema = z.enum(["pdf", "xlsx", "csv", "json"]);
export type ReportFormat = z.infer<typeof reportFormatSchema>;

const CONTENT_TYPES: Record<ReportFormat, string> = {
  pdf: "application/pdf",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  csv: "text/csv; charset=utf-8",
  json: "application/json; charset=utf-8",
};

/** Renders a report (validated first; a bad model throws ReportModelError) in a format. */
export async function renderReport(report: unknown, format: ReportFormat): Promise<Buffer> {
  const valid = parseReport(report);
  switch (reportFormatSchema.parse(format)) {
    case "pdf":
      return renderPdf(valid);
    case "xlsx":
      return renderXlsx(valid);
    case "csv":
      return renderCsv(valid);
    case "json":
      return renderJson(valid);
  }
}

/** File extension without the dot. */
export function fileExtension(format: ReportFormat): string {
  return reportFormatSchema.parse(format);
}

/** MIME type for HTTP responses and e-mail attachments. */
export function contentType(format: ReportFormat): string {
  return CONTENT_TYPES[reportFormatSchema.parse(format)];
}
