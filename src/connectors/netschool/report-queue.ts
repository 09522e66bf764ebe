// One report through NetSchool's queue, as the site and the working clients run it (platforms/
// bars-netschool.md B6): POST `reports/<name>/queue` (`v2/` for StudentTotal from 5.24) with the
// selected filters and the school's params → `{taskId, queueKey?}`; the queue hub (path by server
// version) says `complete` with a file id; GET `files/{id}` is the report's HTML.
import { z } from "zod";
import { BadPayloadError, InvalidRequestError } from "../errors.ts";
import type { NetschoolClient } from "./client.ts";
import { awaitReportFile } from "./report-hub.ts";
import { hubRoute, queuePath } from "./server-version.ts";

export type ReportName = "studentgrades" | "studenttotal";

export interface ReportRun {
  client: NetschoolClient;
  version: string | undefined;
  yearId: string;
  schoolName: string;
  dateFormat: string;
  hubTimeoutMs: number;
  signal?: AbortSignal;
}

const queuedSchema = z.looseObject({
  taskId: z.union([z.number().int(), z.string().regex(/^\d+$/)]).transform(String),
  queueKey: z.string().nullish(),
});

/** The `period` filter value: the range as the site sends it (naive local times). */
export function periodFilter(from: string, to: string): string {
  return `${from}T00:00:00 - ${to}T00:00:00`;
}

export async function runReport(
  run: ReportRun,
  report: ReportName,
  selected: { filterId: string; filterValue: string }[],
): Promise<{ html: string; origin: string }> {
  const route = hubRoute(run.version);
  if (route.kind === "legacy")
    throw new InvalidRequestError({ detail: route.reason, platformType: "report-legacy-hub" });
  const q = await run.client.queueReport(
    queuePath(report, run.version),
    {
      selectedData: selected,
      params: [
        { name: "SCHOOLYEARID", value: run.yearId },
        { name: "SERVERTIMEZONE", value: 3 },
        { name: "FULLSCHOOLNAME", value: run.schoolName },
        { name: "DATEFORMAT", value: run.dateFormat },
      ],
    },
    run.signal,
  );
  const queued = queuedSchema.safeParse(q.body);
  if (!queued.success) throw new BadPayloadError({ detail: `${q.origin}: no taskId in the answer` });
  const access = run.client.hubAccess(route.path);
  const fileId = await awaitReportFile({
    ...access,
    taskId: queued.data.taskId,
    ...(queued.data.queueKey ? { queueKey: queued.data.queueKey } : {}),
    timeoutMs: run.hubTimeoutMs,
    signal: run.signal,
  });
  const f = await run.client.file(fileId, run.signal);
  return { html: String(f.body ?? ""), origin: `${f.origin} (${report})` };
}
