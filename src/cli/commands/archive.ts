// `reglament archive run|verify|list|due`: the signed PDF/A journal archive (001 §3.1, §6; 004 §5).
import { resolve } from "node:path";
import type { Command } from "commander";
import { lastClosedPeriod, targetsFromConfig } from "../../archive/archive-demo.ts";
import { archivePeriod } from "../../archive/archive-run.ts";
import { dueArchiveFiles, makeDisposalAct } from "../../archive/disposal.ts";
import { ArchiveError } from "../../archive/errors.ts";
import { verifyArchive } from "../../archive/fixity.ts";
import { listArchiveFiles } from "../../archive/registry-store.ts";
import { SIGNATURE_VERDICT_TEXT } from "../../archive/signer.ts";
import { signerFromConfig } from "../../archive/signer-from-config.ts";
import type { Db } from "../../store/db.ts";
import { configFrom, type GlobalOptions, openStoreFrom, pickSchool } from "../context.ts";
import { table } from "../format.ts";
import { createProgress } from "../progress.ts";
import { UserError } from "../user-error.ts";

function globals(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals() as GlobalOptions;
}

/** Archive errors become one-line user errors (the English message names what to fix). */
async function withStore<T>(
  cmd: Command,
  fn: (db: Db, config: ReturnType<typeof configFrom>) => Promise<T>,
): Promise<T> {
  const config = configFrom(globals(cmd));
  const db = await openStoreFrom(config);
  try {
    return await fn(db, config);
  } catch (err) {
    if (err instanceof ArchiveError) throw new UserError(err.message.split("\n")[0]);
    throw err;
  } finally {
    await db.close();
  }
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function registerArchive(program: Command): void {
  const archive = program.command("archive").description("signed PDF/A archive of the journal");

  archive
    .command("run")
    .description("archive a period: per class one signed PDF/A-1b journal on every storage target")
    .option("--period <id>", "period id (default: the last closed period)")
    .option("--class <id>", "class id (repeatable; default: every class)", collect)
    .option("--school <id>", "school id (needed when the store holds several)")
    .option("--validate", "check each signed journal with PDFBox Preflight (slow)")
    .option("--demo-cert", "sign with a throwaway «ДЕМО» certificate when archive.signer.p12 is not set")
    .action(
      async (
        opts: { period?: string; class?: string[]; school?: string; validate?: boolean; demoCert?: boolean },
        cmd: Command,
      ) => {
        await withStore(cmd, async (db, config) => {
          const schoolId = await pickSchool(db, opts.school);
          const periodId = opts.period ?? (await lastClosedPeriod(db, schoolId));
          if (!periodId) throw new UserError(`school "${schoolId}" has no period with lessons to archive`);
          const { signer, demo } = await signerFromConfig(config.archive, { allowDemo: opts.demoCert });
          if (demo)
            console.error("warning: signing with the throwaway ДЕМО certificate (not the director's)");
          const progress = createProgress();
          let result: Awaited<ReturnType<typeof archivePeriod>>;
          try {
            result = await archivePeriod(db, {
              schoolId,
              periodId,
              classIds: opts.class,
              signer,
              targets: targetsFromConfig(config.archive),
              template: config.archive.nameTemplate,
              tmpDir: resolve(config.archive.tmpDir),
              retention: config.archive.retention,
              validate: opts.validate,
              onProgress: (done, total) => progress.update("journals", done, total),
            });
          } finally {
            progress.stop();
          }
          console.log(
            table(
              ["class", "file", "version", "pages", "sha256", "signature", "retention until"],
              result.archived.map((a) => [
                a.classLabel,
                a.row.archivedPath,
                a.row.version,
                a.pages,
                a.row.sha256.slice(0, 12),
                SIGNATURE_VERDICT_TEXT[a.signature],
                a.row.retentionUntil,
              ]),
            ),
          );
          for (const s of result.skipped) console.log(`skipped ${s.classLabel}: no lessons in the period`);
          console.log(
            `Archived ${result.archived.length} journal(s) of period ${periodId} to ${config.archive.targets.length} targets`,
          );
        });
      },
    );

  archive
    .command("verify")
    .description("re-hash every replica and check signatures; --repair restores from a healthy copy")
    .option("--repair", "repair missing or changed replicas from a healthy copy")
    .option("--school <id>", "update only this school's registry rows")
    .action(async (opts: { repair?: boolean; school?: string }, cmd: Command) => {
      await withStore(cmd, async (db, config) => {
        const { signer } = await signerFromConfig(config.archive, { allowDemo: true });
        const report = await verifyArchive(db, targetsFromConfig(config.archive), {
          repair: opts.repair,
          signer,
          schoolId: opts.school,
        });
        if (report.findings.length > 0) {
          console.log(
            table(
              ["target", "file", "status", "repair", "detail"],
              report.findings.map((f) => [f.target, f.file, f.status, f.repair ?? "-", f.detail ?? ""]),
            ),
          );
        }
        console.log(
          `Checked ${report.checked} replica file(s): ${report.findings.length} problem(s) found, ${report.repairs.filter((r) => r.action !== "unrepairable").length} repaired, ${report.remaining.length} remaining`,
        );
        if (report.integrityOnly.length > 0) {
          console.log(
            `${report.integrityOnly.length} document copy(ies): signature ${SIGNATURE_VERDICT_TEXT["integrity-only"]} (set archive.signer.caFile to the trusted CA certificates)`,
          );
        }
        if (report.remaining.length > 0) {
          throw new UserError(
            `${report.remaining.length} archive problem(s) remain${opts.repair ? "" : " (run `reglament archive verify --repair`)"}`,
          );
        }
      });
    });

  archive
    .command("list")
    .description("the archive registry: every archived document version")
    .option("--school <id>", "only this school")
    .action(async (opts: { school?: string }, cmd: Command) => {
      await withStore(cmd, async (db) => {
        const rows = await listArchiveFiles(db, opts.school);
        console.log(
          table(
            [
              "file",
              "version",
              "class",
              "period",
              "year",
              "signer",
              "archived",
              "verified",
              "replicas",
              "until",
            ],
            rows.map((r) => [
              r.archivedPath,
              r.version,
              r.classLabel ?? "",
              r.periodLabel ?? "",
              r.year,
              r.signerKind ?? "",
              r.archivedAt.toISOString().slice(0, 16),
              r.lastVerifiedAt ? r.lastVerifiedAt.toISOString().slice(0, 16) : "",
              r.replicas.map((x) => `${x.target}:${x.status}`).join(" "),
              r.retentionUntil,
            ]),
          ),
        );
        console.log(`${rows.length} archived document version(s)`);
      });
    });

  archive
    .command("due")
    .description("documents past retention; --dispose --confirm writes the disposal act (nothing is deleted)")
    .option("--school <id>", "only this school")
    .option("--today <date>", "YYYY-MM-DD to judge retention on (default today)")
    .option("--dispose", "write the act «о выделении к уничтожению» for them")
    .option("--confirm", "confirm the disposal act (required with --dispose)")
    .action(
      async (
        opts: { school?: string; today?: string; dispose?: boolean; confirm?: boolean },
        cmd: Command,
      ) => {
        await withStore(cmd, async (db, config) => {
          const day = opts.today ?? today();
          if (!/^\d{4}-\d{2}-\d{2}$/.test(day))
            throw new UserError(`--today: expected YYYY-MM-DD, got "${day}"`);
          const rows = await dueArchiveFiles(db, opts.school, day);
          console.log(
            table(
              ["file", "version", "kind", "until"],
              rows.map((r) => [r.archivedPath, r.version, r.kind, r.retentionUntil]),
            ),
          );
          console.log(`${rows.length} document(s) past retention on ${day}`);
          if (!opts.dispose) return;
          if (!opts.confirm) {
            throw new UserError(
              "a disposal act needs explicit confirmation: add --confirm (no file is deleted)",
            );
          }
          const act = await makeDisposalAct(db, {
            schoolId: opts.school,
            today: day,
            confirm: true,
            outDir: resolve(config.outDir, "archive-acts"),
          });
          console.log(`Disposal act for ${act.rows.length} document(s) written to ${act.file}`);
        });
      },
    );
}
