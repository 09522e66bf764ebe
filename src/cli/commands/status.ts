// `reglament status`: what the store holds, per school.
import type { Command } from "commander";
import { STREAMS } from "../../model/records.ts";
import type { Db } from "../../store/db.ts";
import { ENTITIES } from "../../store/entities.ts";
import { listSchools } from "../../store/sync-state.ts";
import { configFrom, describeStore, type GlobalOptions, openStoreFrom } from "../context.ts";
import { table } from "../format.ts";

export async function statusText(db: Db, storeLabel: string): Promise<string> {
  const out: string[] = [`Store: ${storeLabel}`];
  const schools = await listSchools(db);
  if (schools.length === 0) {
    out.push("No school yet: run `reglament import <dir>` or `npm start`.");
    return out.join("\n");
  }
  for (const school of schools) {
    out.push("", `School ${school.id} «${school.name}» — ${school.timezone}, ${school.workweek}-day week`);
    const rows: (string | number)[][] = [];
    for (const stream of STREAMS) {
      const [c] = await db.query<{ live: number; deleted: number }>(
        `SELECT count(*) FILTER (WHERE deleted_at IS NULL)::int AS live, count(*) FILTER (WHERE deleted_at IS NOT NULL)::int AS deleted
         FROM ${ENTITIES[stream].table} WHERE school_id = $1`,
        [school.id],
      );
      rows.push([stream, c.live, c.deleted]);
    }
    out.push(table(["stream", "live", "deleted"], rows));
    const [q] = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM quarantine WHERE school_id = $1",
      [school.id],
    );
    const runs = await db.query<{
      id: string;
      source: string;
      mode: string;
      status: string;
      observed_at: Date;
      error: string | null;
    }>(
      "SELECT id, source, mode, status, observed_at, error FROM sync_runs WHERE school_id = $1 ORDER BY id DESC LIMIT 5",
      [school.id],
    );
    out.push(`Quarantined records: ${q.n}`);
    out.push("Last sync runs:");
    out.push(
      table(
        ["run", "source", "mode", "status", "observed at"],
        runs.map((r) => [
          r.id,
          r.source,
          r.mode,
          r.status + (r.error ? ` (${r.error})` : ""),
          r.observed_at.toISOString(),
        ]),
      ),
    );
  }
  return out.join("\n");
}

export function registerStatus(program: Command): void {
  program
    .command("status")
    .description("show what is in the store: schools, records per stream, quarantine, last sync runs")
    .action(async (_opts, cmd: Command) => {
      const config = configFrom(cmd.optsWithGlobals<GlobalOptions>());
      const db = await openStoreFrom(config, { brief: true });
      try {
        console.log(await statusText(db, describeStore(config)));
      } finally {
        await db.close();
      }
    });
}
