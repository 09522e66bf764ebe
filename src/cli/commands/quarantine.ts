// `reglament quarantine`, and the first quarantined records that `import` and `sync` print.
// Reasons may quote the platform's values (a mark, a name in a course title): those are masked,
// so the output names records by id only.
import type { Command } from "commander";
import type { Db, SqlParam } from "../../store/db.ts";
import { configFrom, globalOptions, openStoreFrom, pickSchool } from "../context.ts";
import { table } from "../format.ts";
import { UserError } from "../user-error.ts";

const SAMPLE = 5;

/** A reason without the values it quotes: quoted text, Cyrillic words, and the number after "grade". */
export function maskValues(reason: string): string {
  return reason
    .replace(/"[^"]*"/g, '"…"')
    .replace(/«[^»]*»/g, "«…»")
    .replace(/[\p{Script=Cyrillic}][\p{Script=Cyrillic}\d./-]*/gu, "…")
    .replace(/\b(grade|mark|value)\s+-?\d+([.,]\d+)?/gi, "$1 …");
}

interface QuarantineRow {
  id: string;
  sync_run_id: string | null;
  stream: string;
  origin: string;
  field: string | null;
  reason: string;
}

const line = (r: QuarantineRow) => `  ${r.origin}${r.field ? ` [${r.field}]` : ""}: ${maskValues(r.reason)}`;

/** What a run quarantined: the first reasons, and the command that lists them all. */
export async function quarantineSummary(db: Db, runId: number, quarantined: number): Promise<string[]> {
  if (quarantined === 0) return [];
  const rows = await db.query<QuarantineRow>(
    "SELECT id, sync_run_id, stream, origin, field, reason FROM quarantine WHERE sync_run_id = $1 ORDER BY id LIMIT $2",
    [runId, SAMPLE],
  );
  const [{ n }] = await db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM quarantine WHERE sync_run_id = $1",
    [runId],
  );
  const out = [`${quarantined} record(s) quarantined${rows.length ? ", first ones:" : "."}`];
  out.push(...rows.map(line));
  if (n < quarantined)
    out.push(`  (${quarantined - n} of them were already in quarantine from earlier runs)`);
  out.push(
    `All of them: \`reglament quarantine --run ${runId}\`${n < quarantined ? " or `reglament quarantine`" : ""}`,
  );
  return out;
}

export function registerQuarantine(program: Command): void {
  program
    .command("quarantine")
    .description("list quarantined records: record, field and reason (values masked)")
    .option("--school <id>", "school id (needed when the store holds several)")
    .option("--run <id>", "only what this sync run quarantined")
    .option("--limit <n>", "at most this many, newest first", "100")
    .action(async (opts: { school?: string; run?: string; limit: string }, cmd: Command) => {
      const limit = Number(opts.limit);
      if (!Number.isInteger(limit) || limit < 1)
        throw new UserError(`--limit ${opts.limit}: expected a count`);
      if (opts.run !== undefined && !/^\d+$/.test(opts.run))
        throw new UserError(`--run ${opts.run}: expected a run number`);
      const db = await openStoreFrom(configFrom(globalOptions(cmd)));
      try {
        const school = await pickSchool(db, opts.school);
        const params: SqlParam[] = [school, limit];
        if (opts.run !== undefined) params.push(opts.run);
        const rows = await db.query<QuarantineRow>(
          `SELECT id, sync_run_id, stream, origin, field, reason FROM quarantine
            WHERE school_id = $1 ${opts.run !== undefined ? "AND sync_run_id = $3" : ""}
            ORDER BY id DESC LIMIT $2`,
          params,
        );
        if (rows.length === 0) return console.log(`Nothing quarantined for school ${school}.`);
        console.log(
          table(
            ["run", "stream", "record", "field", "reason"],
            rows.map((r) => [r.sync_run_id ?? "—", r.stream, r.origin, r.field ?? "—", maskValues(r.reason)]),
          ),
        );
      } finally {
        await db.close();
      }
    });
}
