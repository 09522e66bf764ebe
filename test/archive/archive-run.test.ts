import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { archivePeriod } from "../../src/archive/archive-run.ts";
import { DisposalNotConfirmedError, dueArchiveFiles, makeDisposalAct } from "../../src/archive/disposal.ts";
import { fixityAlerts, verifyArchive } from "../../src/archive/fixity.ts";
import { readManifest, sha256File, writeManifest } from "../../src/archive/manifest.ts";
import { validatePdfA1b } from "../../src/archive/pdfa.ts";
import { readRegistry, writeRegistry } from "../../src/archive/registry-file.ts";
import { listArchiveFiles, listChecks } from "../../src/archive/registry-store.ts";
import { PadesSigner } from "../../src/archive/signer-pades.ts";
import { importDataset } from "../../src/dataset/import.ts";
import type { Db } from "../../src/store/db.ts";
import { openStore } from "../../src/store/open-store.ts";
import { clone, writeDataset } from "../support/dataset-builder.ts";
import { forEachEngine } from "../support/engines.ts";
import { requireTool } from "../support/system-tools.ts";
import { journalSchool } from "./support/journal-school.ts";
import { type TestCertificate, writeTestCertificate } from "./support/test-certificates.ts";

function archiveSuite(
  title: string,
  body: (ctx: { open(): ReturnType<typeof openStore> }, env: Env) => void,
) {
  describe(title, () => {
    const opened: Db[] = [];
    const env = {} as Env;
    setup(env);
    afterEach(() => Promise.all(opened.splice(0).map((db) => db.close())));
    body(
      {
        open: async () => {
          const db = await openStore({});
          opened.push(db);
          return db;
        },
      },
      env,
    );
  });
}

interface Env {
  dir: string;
  signer: PadesSigner;
  cert: TestCertificate;
  targets: { id: string; path: string }[];
  datasetDir: string;
}

function setup(env: Env): void {
  env.datasetDir = writeDataset(journalSchool());
  beforeEach(async () => {
    env.dir = await mkdtemp(join(tmpdir(), "reglament-archive-run-"));
    const cert = await writeTestCertificate(env.dir);
    env.cert = cert;
    env.signer = new PadesSigner({ p12: cert.p12File, passphrase: cert.passphrase, caFile: cert.caFile });
    env.targets = [
      { id: "safe", path: join(env.dir, "safe") },
      { id: "room", path: join(env.dir, "room") },
    ];
  });
  afterEach(() => rm(env.dir, { recursive: true, force: true }));
}

forEachEngine("archivePeriod registry", (ctx) => {
  const env = {} as Env;
  setup(env);

  it("archives a class journal signed, on two targets, in the registry; re-archiving is a new version", async function () {
    this.timeout(180_000);
    const db = await ctx.open();
    await importDataset(db, env.datasetDir);
    const first = await archivePeriod(db, {
      schoolId: "sch1",
      periodId: "q1",
      signer: env.signer,
      targets: env.targets,
      tmpDir: join(env.dir, "tmp"),
    });
    expect(first.archived.map((a) => a.classLabel)).to.deep.equal(["5А"]);
    expect(first.skipped.map((s) => s.classLabel)).to.deep.equal(["6Б"]);
    expect(first.archived[0].signature).to.equal("valid");
    const [row] = first.archived.map((a) => a.row);
    expect(row.fileName).to.equal("2025-2026_1_5А.pdf");
    expect(row.archivedPath).to.equal("sch1/2025-2026/2025-2026_1_5А.pdf");
    expect(row.version).to.equal(1);
    expect(row.signerKind).to.equal("pades");
    expect(row.signerSubject).to.equal("Директор Иванова Мария Петровна");
    expect(row.retentionUntil).to.equal("2030-12-31");
    expect(row.replicas.map((r) => [r.target, r.status])).to.deep.equal([
      ["safe", "ok"],
      ["room", "ok"],
    ]);
    const a = await readFile(first.archived[0].paths[0]);
    const b = await readFile(first.archived[0].paths[1]);
    expect(a.equals(b)).to.equal(true);
    expect((await env.signer.verify([first.archived[0].paths[0]])).valid).to.equal(true);
    expect((await readRegistry(env.targets[0].path)).entries[0].file).to.equal(row.archivedPath);

    const again = await archivePeriod(db, {
      schoolId: "sch1",
      periodId: "q1",
      classIds: ["5a"],
      signer: env.signer,
      targets: env.targets,
      tmpDir: join(env.dir, "tmp"),
    });
    expect(again.archived[0].row.version).to.equal(2);
    expect(again.archived[0].row.archivedPath).to.equal("sch1/2025-2026/2025-2026_1_5А_v2.pdf");
    const rows = await listArchiveFiles(db, "sch1");
    expect(rows.map((r) => [r.fileName, r.version])).to.deep.equal([
      ["2025-2026_1_5А.pdf", 1],
      ["2025-2026_1_5А.pdf", 2],
    ]);
    // the first version is untouched
    expect((await readFile(first.archived[0].paths[0])).equals(a)).to.equal(true);
  });
});

archiveSuite("archive Preflight, fixity and disposal [pglite]", (ctx, env) => {
  it("the signed journal is valid PDF/A-1b for PDFBox Preflight", async function () {
    requireTool(this, "preflight");
    this.timeout(180_000);
    const db = await ctx.open();
    await importDataset(db, env.datasetDir);
    const run = await archivePeriod(db, {
      schoolId: "sch1",
      periodId: "q1",
      classIds: ["5a"],
      signer: env.signer,
      targets: env.targets,
      tmpDir: join(env.dir, "tmp"),
    });
    const result = await validatePdfA1b(run.archived[0].paths[1]);
    expect(result.errors).to.deep.equal([]);
    expect(result.valid).to.equal(true);
  });

  it("fixity finds a lost replica, repairs it and keeps the history", async function () {
    this.timeout(180_000);
    const db = await ctx.open();
    await importDataset(db, env.datasetDir);
    const run = await archivePeriod(db, {
      schoolId: "sch1",
      periodId: "q1",
      classIds: ["5a"],
      signer: env.signer,
      targets: env.targets,
      tmpDir: join(env.dir, "tmp"),
    });
    const clean = await verifyArchive(db, env.targets, { signer: env.signer });
    expect(clean.findings).to.deep.equal([]);
    await rm(run.archived[0].paths[1]);
    const found = await verifyArchive(db, env.targets, { signer: env.signer });
    expect(found.findings.map((f) => [f.target, f.status])).to.deep.equal([["room", "missing"]]);
    expect(fixityAlerts(found).map((a) => a.severity)).to.deep.equal(["critical"]);
    let [row] = await listArchiveFiles(db, "sch1");
    expect(row.replicas.find((r) => r.target === "room")?.status).to.equal("missing");
    const repaired = await verifyArchive(db, env.targets, { signer: env.signer, repair: true });
    expect(repaired.repairs.map((r) => r.action)).to.deep.equal(["restored"]);
    expect(repaired.remaining).to.deep.equal([]);
    expect(fixityAlerts(repaired).map((a) => a.severity)).to.deep.equal(["warning"]);
    [row] = await listArchiveFiles(db, "sch1");
    expect(row.replicas.every((r) => r.status === "ok")).to.equal(true);
    const history = (await listChecks(db, row.id)).filter((c) => c.target === "room").map((c) => c.status);
    expect(history).to.deep.equal(["ok", "missing", "repaired", "ok"]);
  });

  it("a medium rewritten consistently (file, manifest and its registry) is outvoted by the store's registry", async function () {
    this.timeout(180_000);
    const db = await ctx.open();
    await importDataset(db, env.datasetDir);
    const run = await archivePeriod(db, {
      schoolId: "sch1",
      periodId: "q1",
      classIds: ["5a"],
      signer: env.signer,
      targets: env.targets,
      tmpDir: join(env.dir, "tmp"),
    });
    const rel = run.archived[0].row.archivedPath;
    const original = await readFile(run.archived[0].paths[0]);
    // the room's copy replaced, and its manifest line and registry entry rewritten to match it
    const room = env.targets[1].path;
    const replaced = run.archived[0].paths[1];
    await writeFile(replaced, Buffer.concat([original, Buffer.from("\n%other\n")]));
    const other = await sha256File(replaced);
    const manifest = await readManifest(room);
    manifest.set(rel, other);
    await writeManifest(room, manifest);
    const registry = await readRegistry(room);
    for (const entry of registry.entries) {
      if (entry.file !== rel) continue;
      entry.sha256 = other;
      entry.files[0].sha256 = other;
    }
    await writeRegistry(room, registry);

    const report = await verifyArchive(db, env.targets, { signer: env.signer });
    expect(report.findings.map((f) => [f.target, f.file, f.status])).to.deep.equal([
      ["room", rel, "changed"],
    ]);
    const repaired = await verifyArchive(db, env.targets, { signer: env.signer, repair: true });
    expect(repaired.repairs.map((r) => [r.target, r.action, r.from])).to.deep.equal([
      ["room", "restored", "safe"],
    ]);
    expect(repaired.remaining).to.deep.equal([]);
    expect((await readFile(replaced)).equals(original)).to.equal(true);
  });

  it("a signature verified without CA certificates is integrity only, never plainly valid", async function () {
    this.timeout(180_000);
    const db = await ctx.open();
    await importDataset(db, env.datasetDir);
    const noCa = new PadesSigner({ p12: env.cert.p12File, passphrase: env.cert.passphrase });
    const run = await archivePeriod(db, {
      schoolId: "sch1",
      periodId: "q1",
      classIds: ["5a"],
      signer: noCa,
      targets: env.targets,
      tmpDir: join(env.dir, "tmp"),
    });
    expect(run.archived[0].signature).to.equal("integrity-only");
    expect((await readRegistry(env.targets[0].path)).entries[0].signerVerified).to.equal(false);
    const report = await verifyArchive(db, env.targets, { signer: noCa });
    expect(report.findings).to.deep.equal([]);
    expect(report.integrityOnly.map((c) => c.target)).to.deep.equal(["safe", "room"]);
    const trusted = await verifyArchive(db, env.targets, { signer: env.signer });
    expect(trusted.integrityOnly).to.deep.equal([]);
  });

  it("two schools archived onto the same media never collide: each has its own folder", async function () {
    this.timeout(180_000);
    const db = await ctx.open();
    await importDataset(db, env.datasetDir);
    const other = clone(journalSchool());
    other.manifest.school = { ...other.manifest.school, id: "sch2", name: "МБОУ СОШ № 2" };
    await importDataset(db, writeDataset(other));
    const options = { periodId: "q1", classIds: ["5a"], signer: env.signer, targets: env.targets };
    const one = await archivePeriod(db, { ...options, schoolId: "sch1", tmpDir: join(env.dir, "tmp1") });
    const two = await archivePeriod(db, { ...options, schoolId: "sch2", tmpDir: join(env.dir, "tmp2") });
    expect(one.archived[0].row.archivedPath).to.equal("sch1/2025-2026/2025-2026_1_5А.pdf");
    expect(two.archived[0].row.archivedPath).to.equal("sch2/2025-2026/2025-2026_1_5А.pdf");
    // each school's first journal of the period, not a second version of the other's
    expect([one.archived[0].row.version, two.archived[0].row.version]).to.deep.equal([1, 1]);
    const entries = (await readRegistry(env.targets[0].path)).entries;
    expect(entries.map((e) => [e.school, e.schoolName, e.file])).to.deep.equal([
      ["sch1", "МБОУ «Лицей № 7» г. Самары", "sch1/2025-2026/2025-2026_1_5А.pdf"],
      ["sch2", "МБОУ СОШ № 2", "sch2/2025-2026/2025-2026_1_5А.pdf"],
    ]);
    const report = await verifyArchive(db, env.targets, { signer: env.signer });
    expect(report.findings).to.deep.equal([]);
    expect(report.checked).to.equal(4);
  });

  it("the same alteration on every copy is reported as changed and cannot be repaired by copying", async function () {
    this.timeout(180_000);
    const db = await ctx.open();
    await importDataset(db, env.datasetDir);
    const run = await archivePeriod(db, {
      schoolId: "sch1",
      periodId: "q1",
      classIds: ["5a"],
      signer: env.signer,
      targets: env.targets,
      tmpDir: join(env.dir, "tmp"),
    });
    // append to every copy alike: hashes agree with each other but no longer with the registry
    for (const path of run.archived[0].paths)
      await writeFile(path, Buffer.concat([await readFile(path), Buffer.from("\n%x\n")]));
    const report = await verifyArchive(db, env.targets, { signer: env.signer });
    expect(report.findings.length).to.be.greaterThan(0);
    expect(report.findings.every((f) => f.status === "changed")).to.equal(true);
    const repair = await verifyArchive(db, env.targets, { signer: env.signer, repair: true });
    expect(repair.repairs.every((r) => r.action === "unrepairable")).to.equal(true);
    expect(repair.remaining.length).to.equal(report.findings.length);
  });

  it("disposal lists expired rows and writes the act only when confirmed", async function () {
    this.timeout(180_000);
    const db = await ctx.open();
    await importDataset(db, env.datasetDir);
    await archivePeriod(db, {
      schoolId: "sch1",
      periodId: "q1",
      classIds: ["5a"],
      signer: env.signer,
      targets: env.targets,
      tmpDir: join(env.dir, "tmp"),
    });
    expect(await dueArchiveFiles(db, "sch1", "2030-12-31")).to.have.length(0);
    expect(await dueArchiveFiles(db, "sch1", "2031-01-01")).to.have.length(1);
    let refused: unknown;
    try {
      await makeDisposalAct(db, {
        schoolId: "sch1",
        today: "2031-01-01",
        confirm: false,
        outDir: join(env.dir, "acts"),
      });
    } catch (error) {
      refused = error;
    }
    expect(refused).to.be.instanceOf(DisposalNotConfirmedError);
    expect(await dueArchiveFiles(db, "sch1", "2031-01-01")).to.have.length(1);
    const act = await makeDisposalAct(db, {
      schoolId: "sch1",
      today: "2031-01-01",
      confirm: true,
      outDir: join(env.dir, "acts"),
    });
    expect(act.rows).to.have.length(1);
    expect((await readFile(act.file)).subarray(0, 5).toString()).to.equal("%PDF-");
    expect(await dueArchiveFiles(db, "sch1", "2031-01-01")).to.have.length(0);
    // nothing deleted from the media
    expect((await verifyArchive(db, env.targets, { signer: env.signer })).findings).to.deep.equal([]);
  });
});
