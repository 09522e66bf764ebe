// `reglament contact set`, `reglament escalate`, `reglament outbox list` through the real executable,
// without Redis (the command delivers what is due in-process) and with a real SMTP server.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { writeDataset } from "../support/dataset-builder.ts";
import { runCli } from "../support/run-cli.ts";
import { EMAILS, escalationSchool, type Smtp, smtpServer } from "./support/outbox-fixture.ts";

describe("reglament escalate / outbox / contact", function () {
  // Several runs of the real executable, each opening the embedded store: slow on a loaded machine.
  this.timeout(400_000);
  let smtp: Smtp | undefined;
  afterEach(async () => {
    await smtp?.stop();
  });

  it("sets contacts, escalates into the outbox, delivers by e-mail once, and lists the outbox", async () => {
    smtp = await smtpServer();
    const dir = mkdtempSync(join(tmpdir(), "escalate-cli-"));
    const configFile = join(dir, "school.yaml");
    writeFileSync(
      configFile,
      [
        "escalation:",
        "  email:",
        "    host: 127.0.0.1",
        `    port: ${smtp.port}`,
        "    from: '\"Регламент\" <reglament@school.example>'",
        "  delivery:",
        "    attempts: 3",
        "    backoffMs: 100",
        "",
      ].join("\n"),
    );
    const env = { REGLAMENT_DATA_DIR: join(dir, "store"), REGLAMENT_CONFIG: configFile };
    const ds = escalationSchool();
    expect((await runCli(["import", writeDataset(ds)], env)).code).to.equal(0);
    const check = await runCli(
      ["check", "--as-of", ds.manifest.observedAt, "--rule", "lesson.topic.late"],
      env,
    );
    expect(check.code, check.stderr).to.equal(0);

    const bad = await runCli(["contact", "set", "t1", "--email", "not-an-address"], env);
    expect(bad.code).to.equal(1);
    expect(bad.stderr).to.contain("invalid contact");
    const set = await runCli(["contact", "set", "t1", "--email", EMAILS.t1], env);
    expect(set.code, set.stderr).to.equal(0);
    expect(set.stdout).to.contain("contact of t1 saved: email");
    expect(set.stdout).not.to.contain(EMAILS.t1);

    const run = await runCli(["escalate", "--now", "2025-10-09T10:00:00+03:00"], env);
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.match(/added to outbox\s+1\n/);
    expect(run.stdout).to.match(/no contact\s+2/);
    expect(smtp.arrived.map((m) => m.to.join())).to.deep.equal([EMAILS.t1]);
    expect(smtp.arrived[0].subject).to.equal("Электронный журнал: 2 замечания на 09.10.2025");

    const again = await runCli(["escalate", "--now", "2025-10-09T12:00:00+03:00"], env);
    expect(again.code, again.stderr).to.equal(0);
    expect(again.stdout).to.match(/added to outbox\s+0/);
    expect(smtp.arrived).to.have.length(1);

    const list = await runCli(["outbox", "list"], env);
    expect(list.code, list.stderr).to.equal(0);
    const lines = list.stdout.split("\n");
    expect(lines.find((l) => l.startsWith("digest:sch1:t1:2025-10-09"))).to.match(/email\s+sent\s+1/);
    expect(lines.find((l) => l.startsWith("digest:sch1:t2:2025-10-09"))).to.match(/failed.*no contact$/);
    expect(list.stdout).to.contain("3 message(s)");
  });
});
