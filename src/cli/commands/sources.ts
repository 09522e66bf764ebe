// `reglament source add|list|check|remove` and `reglament sync`.
import { readFileSync } from "node:fs";
import { type Command, InvalidArgumentError } from "commander";
import { parse } from "yaml";
import { isConnectorError } from "../../connectors/errors.ts";
import type { Connector } from "../../connectors/types.ts";
import { dateSchema } from "../../model/records.ts";
import type { Db } from "../../store/db.ts";
import { isPlatformFailure, platformAnswered, platformFailed } from "../../sync/outages.ts";
import { runSync, type SyncSummary } from "../../sync/run-sync.ts";
import {
  addSource,
  connectorFor,
  getSource,
  listSources,
  maskSecrets,
  rememberSchool,
  removeSource,
} from "../../sync/sources.ts";
import { configFrom, globalOptions, openStoreFrom } from "../context.ts";
import { table } from "../format.ts";
import { createProgress } from "../progress.ts";
import { UserError } from "../user-error.ts";
import { summaryTable } from "./import-export.ts";
import { quarantineSummary } from "./quarantine.ts";

function parseSet(value: string, previous: Record<string, unknown> = {}): Record<string, unknown> {
  const eq = value.indexOf("=");
  if (eq < 1) throw new UserError(`--set ${value}: expected key=value`);
  const raw = value.slice(eq + 1);
  // Numbers and booleans as such; ids stay strings when quoted or longer than a safe integer.
  const typed = /^(true|false)$/.test(raw)
    ? raw === "true"
    : /^-?\d{1,15}(\.\d+)?$/.test(raw)
      ? Number(raw)
      : raw;
  return { ...previous, [value.slice(0, eq)]: typed };
}

function parseDate(v: string): string {
  const r = dateSchema.safeParse(v);
  if (!r.success) throw new InvalidArgumentError(r.error.issues[0].message);
  return v;
}

function readConfigFile(file: string): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new UserError(`${file}: ${(err as Error).message.split("\n")[0]}`);
  }
  if (!doc || typeof doc !== "object" || Array.isArray(doc))
    throw new UserError(`${file}: expected a mapping of keys`);
  return doc as Record<string, unknown>;
}

async function withStore<T>(cmd: Command, fn: (db: Db) => Promise<T>): Promise<T> {
  const db = await openStoreFrom(configFrom(globalOptions(cmd)));
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

export async function syncSource(
  db: Db,
  sourceId: string,
  full: boolean,
  window: { from?: string; to?: string } = {},
): Promise<SyncSummary> {
  const source = await getSource(db, sourceId);
  const progress = createProgress();
  try {
    const summary = await runSync(db, connectorFor(source), {
      source: source.id,
      full,
      ...window,
      knownSchoolId: source.schoolId ?? undefined,
      onProgress: (e) => progress.update(`${source.id}:${e.stream}`, e.done ?? e.read, e.total),
    });
    await rememberSchool(db, source.id, summary.schoolId);
    return summary;
  } finally {
    progress.stop();
  }
}

export function registerSources(program: Command): void {
  const source = program.command("source").description("platform sources (connectors) of the store");
  source
    .command("add")
    .description("add a source; secrets (token, password) are encrypted with REGLAMENT_SECRET")
    .argument("<id>", "a short name, e.g. dnevnik-school-74")
    .requiredOption("--kind <kind>", "connector kind: dnevnik | moodle | …")
    .option("--config <file>", "YAML/JSON file with the kind's settings")
    .option("--set <key=value>", "one setting (repeatable)", parseSet, {})
    .action(
      async (
        id: string,
        opts: { kind: string; config?: string; set: Record<string, unknown> },
        cmd: Command,
      ) => {
        const config = { ...(opts.config ? readConfigFile(opts.config) : {}), ...opts.set };
        await withStore(cmd, (db) => addSource(db, { id, kind: opts.kind, config }));
        console.log(`Source ${id} (${opts.kind}) added. Check it with \`reglament source check ${id}\`.`);
      },
    );
  source
    .command("list")
    .description("list sources (secrets masked)")
    .action(async (_o, cmd: Command) => {
      const rows = await withStore(cmd, listSources);
      if (rows.length === 0) return console.log("No sources yet: `reglament source add <id> --kind …`.");
      console.log(
        table(
          ["id", "kind", "school", "settings"],
          rows.map((s) => [s.id, s.kind, s.schoolId ?? "—", JSON.stringify(maskSecrets(s.config))]),
        ),
      );
    });
  source
    .command("check")
    .description("can reglament reach and authenticate to the source")
    .argument("<id>")
    .action(async (id: string, _o, cmd: Command) => {
      await withStore(cmd, async (db) => {
        const s = await getSource(db, id);
        let result: Awaited<ReturnType<Connector["check"]>>;
        try {
          result = await connectorFor(s).check();
          if (s.schoolId) await platformAnswered(db, s.schoolId, s.id);
        } catch (err) {
          if (s.schoolId && isPlatformFailure(err))
            await platformFailed(db, s.schoolId, s.id, (err as Error).message);
          throw new UserError(
            `${id}: ${isConnectorError(err) ? `${err.userMessage} (${err.detail})` : (err as Error).message}`,
          );
        }
        // Reached, but a sync would fail or refuse (missing functions or rights): say so and exit 1.
        if (!result.ok) throw new UserError(`${id}: не готов к синхронизации — ${result.detail}`);
        console.log(`${id}: ok — ${result.detail}`);
      });
    });
  source
    .command("remove")
    .description("remove a source (its data stays in the store)")
    .argument("<id>")
    .action(async (id: string, _o, cmd: Command) => {
      await withStore(cmd, (db) => removeSource(db, id));
      console.log(`Source ${id} removed.`);
    });

  program
    .command("sync")
    .description("sync one source or all: every stream since its cursor (or in full with --full)")
    .option("--source <id>", "only this source")
    .option("--full", "read every stream in full and mark what disappeared as deleted", false)
    .option(
      "--from <date>",
      "first date to read (YYYY-MM-DD; default: start of the current school year)",
      parseDate,
    )
    .option("--to <date>", "last date to read (YYYY-MM-DD)", parseDate)
    .action(async (opts: { source?: string; full: boolean; from?: string; to?: string }, cmd: Command) => {
      await withStore(cmd, async (db) => {
        const ids = opts.source ? [opts.source] : (await listSources(db)).map((s) => s.id);
        if (ids.length === 0)
          throw new UserError("no sources configured: `reglament source add <id> --kind …`");
        let failed = 0;
        for (const id of ids) {
          try {
            const s = await syncSource(db, id, opts.full, { from: opts.from, to: opts.to });
            console.log(
              `Source ${id}: school ${s.schoolId}, ${s.mode} run ${s.runId}, ${s.requests} requests, ${s.retries} retries`,
            );
            console.log(summaryTable(s));
            for (const l of await quarantineSummary(db, s.runId, s.totals.quarantined)) console.log(l);
          } catch (err) {
            failed++;
            console.error(
              `Source ${id}: failed — ${isConnectorError(err) ? `${err.userMessage} (${err.detail})` : (err as Error).message}`,
            );
          }
        }
        if (failed > 0) throw new UserError(`${failed} of ${ids.length} source(s) failed`);
      });
    });
}
