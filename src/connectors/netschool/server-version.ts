// What differs between NetSchool server versions in the reports pipeline (platforms/bars-netschool.md
// B6, lentryd/NetSchoolApi `reportFile`): where the queue hub lives and which queue path StudentTotal
// takes. Chosen per run from the version `webapi/context` reports; recorded in the run's counts.

/** -1, 0, 1 as `a` is older, the same as or newer than `b` (dotted numbers, missing parts = 0). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(".").map((x) => Number.parseInt(x, 10) || 0);
  const pb = b.split(".").map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i += 1) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

export type HubRoute =
  /** ≥5.29: an ASP.NET Core SignalR hub, JSON protocol over a WebSocket, `?at=` in the URL. */
  | { kind: "hub"; path: string }
  /** <5.29: classic ASP.NET SignalR (`signalr/negotiate|connect|start`), not implemented. */
  | { kind: "legacy"; reason: string };

/** The queue hub of a server version: <5.29 classic, ≥5.29 `webapi/queueHub`, ≥5.32 `webapi/signalr/queueHub`. */
export function hubRoute(version: string | undefined): HubRoute {
  const v = version ?? "0";
  if (compareVersions(v, "5.32") >= 0) return { kind: "hub", path: "webapi/signalr/queueHub" };
  if (compareVersions(v, "5.29") >= 0) return { kind: "hub", path: "webapi/queueHub" };
  return {
    kind: "legacy",
    reason: `server ${version ?? "of unknown version"} uses classic SignalR (before 5.29), which this connector does not speak`,
  };
}

/** The queue path of a report: StudentTotal moved to `v2/` in 5.24. */
export function queuePath(report: "studentgrades" | "studenttotal", version: string | undefined): string {
  const v2 = report === "studenttotal" && compareVersions(version ?? "0", "5.24") >= 0;
  return `${v2 ? "v2/" : ""}reports/${report}/queue`;
}
