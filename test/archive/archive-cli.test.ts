// The archive round trip through the real executable: import, archive, verify, corrupt, repair.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { writeDataset } from "../support/dataset-builder.ts";
import { runCli } from "../support/run-cli.ts";
import { journalSchool } from "./support/journal-school.ts";
import { writeTestCertificate } from "./support/test-certificates.ts";

describe("reglament archive (CLI)", function () {
  this.timeout(180_000);
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let cli: (...args: string[]) => ReturnType<typeof runCli>;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "reglament-archive-cli-"));
    const cert = await writeTestCertificate(dir);
    const config = join(dir, "school.yaml");
    await writeFile(
      config,
      [
        `outDir: ${join(dir, "out")}`,
        "archive:",
        "  targets:",
        `    - { id: safe, path: ${join(dir, "safe")}, description: Сейф директора }`,
        `    - { id: room, path: ${join(dir, "room")}, description: Комната хранения архивов }`,
        "  signer:",
        "    kind: pades",
        `    p12: ${cert.p12File}`,
        `    caFile: ${cert.caFile}`,
        "    passphraseEnv: TEST_SIGN_PASS",
        `  tmpDir: ${join(dir, "tmp")}`,
        "",
      ].join("\n"),
    );
    env = { REGLAMENT_DATA_DIR: join(dir, "pglite"), TEST_SIGN_PASS: cert.passphrase };
    cli = (...args) => runCli(["--config", config, ...args], env);
    const imported = await cli("import", writeDataset(journalSchool()));
    expect(imported.code, imported.stderr).to.equal(0);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it("makes, signs, replicates, verifies, detects a changed byte and repairs it", async () => {
    const run = await cli("archive", "run", "--period", "q1");
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.include("sch1/2025-2026/2025-2026_1_5А.pdf");
    expect(run.stdout).to.include("skipped 6Б");
    const copy = join(dir, "room", "sch1", "2025-2026", "2025-2026_1_5А.pdf");
    const original = await readFile(copy);
    expect(
      original.equals(await readFile(join(dir, "safe", "sch1", "2025-2026", "2025-2026_1_5А.pdf"))),
    ).to.equal(true);

    const ok = await cli("archive", "verify");
    expect(ok.code, ok.stderr).to.equal(0);
    expect(ok.stdout).to.match(/0 problem\(s\) found/);

    const corrupted = Buffer.from(original);
    corrupted[Math.floor(corrupted.length / 2)] ^= 0x01;
    await writeFile(copy, corrupted);
    const bad = await cli("archive", "verify");
    expect(bad.code).to.equal(1);
    expect(bad.stdout).to.match(/room\s+sch1\/2025-2026\/2025-2026_1_5А\.pdf\s+changed/);
    expect(bad.stderr.trim().split("\n")).to.have.length(1);

    const repaired = await cli("archive", "verify", "--repair");
    expect(repaired.code, repaired.stderr).to.equal(0);
    expect(repaired.stdout).to.include("restored");
    expect((await readFile(copy)).equals(original)).to.equal(true);
    const after = await cli("archive", "verify");
    expect(after.code, after.stderr).to.equal(0);

    const list = await cli("archive", "list");
    expect(list.stdout).to.match(/sch1\/2025-2026\/2025-2026_1_5А\.pdf\s+1\s+5А\s+1\s+2025-2026\s+pades/);
    expect(list.stdout).to.include("safe:ok room:ok");
  });

  it("due --dispose needs --confirm; with it writes the act and deletes nothing", async () => {
    const refused = await cli("archive", "due", "--today", "2031-01-01", "--dispose");
    expect(refused.code).to.equal(1);
    expect(refused.stderr).to.include("--confirm");
    const done = await cli("archive", "due", "--today", "2031-01-01", "--dispose", "--confirm");
    expect(done.code, done.stderr).to.equal(0);
    expect(done.stdout).to.match(
      /Disposal act for \d+ document\(s\) written to .*акт_выделения_к_уничтожению_2031-01-01\.pdf/,
    );
    const verify = await cli("archive", "verify");
    expect(verify.code, verify.stderr).to.equal(0);
  });

  it("refuses to sign without a certificate in one line", async () => {
    const config = join(dir, "nocert.yaml");
    await writeFile(
      config,
      `archive:\n  targets:\n    - { id: a, path: ${join(dir, "x")} }\n    - { id: b, path: ${join(dir, "y")} }\n`,
    );
    const r = await runCli(["--config", config, "archive", "run", "--period", "q1"], env);
    expect(r.code).to.equal(1);
    expect(r.stderr.trim().split("\n")).to.have.length(1);
    expect(r.stderr).to.include("archive.signer.p12");
  });
});
