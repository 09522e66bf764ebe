// JSON renderer: the report model itself, so an API client gets exactly what the other formats show.
import type { Report } from "./model.ts";

export const REPORT_JSON_FORMAT = { format: "reglament-report", version: 1 } as const;

/** The report as pretty-printed UTF-8 JSON, tagged with the format and its version. */
export function renderJson(report: Report): Buffer {
  return Buffer.from(`${JSON.stringify({ ...REPORT_JSON_FORMAT, report }, null, 2)}\n`, "utf8");
}
