// The BARS simulator: the recorded shapes' field names and types, and each fault as the connector meets
// it (an expired session, the lockout, 403, fault JSON, an HTML maintenance page, slow answers).
import { expect } from "chai";
import { barsConfigSchema } from "../../../src/connectors/bars/config.ts";
import { BarsConnector } from "../../../src/connectors/bars/connector.ts";
import { barsMessages } from "../../../src/connectors/bars/messages.ru.ts";
import { type BarsSimulator, startBarsSimulator } from "../../../src/connectors/bars/simulator.ts";
import {
  AuthFailedError,
  type ConnectorError,
  InvalidRequestError,
  PlatformDownError,
} from "../../../src/connectors/errors.ts";
import type { ConnectorDeps } from "../../../src/connectors/registry.ts";
import { tinySchool } from "../../support/dataset-builder.ts";

const FAST: ConnectorDeps = {
  http: { retry: { baseDelayMs: 1, maxDelayMs: 2 }, rateLimit: { requestsPerSecond: 10_000, burst: 10_000 } },
};

async function failure(p: Promise<unknown>): Promise<ConnectorError> {
  try {
    await p;
  } catch (e) {
    return e as ConnectorError;
  }
  throw new Error("expected a rejection");
}

describe("BARS simulator", () => {
  let sim: BarsSimulator;
  const connector = (over: Record<string, unknown> = {}, deps = FAST) =>
    new BarsConnector(
      barsConfigSchema.parse({
        url: sim.url,
        auth: { method: "password", login: "reglament", password: "demo-password" },
        school: { id: "sch1", timezone: "Europe/Moscow" },
        retries: 2,
        ...over,
      }),
      deps,
    );
  afterEach(async () => {
    await sim.close();
  });

  for (const shape of ["flat", "wrapped"] as const) {
    it(`answers in the recorded field names and types (${shape} GetSummaryMarks)`, async () => {
      sim = await startBarsSimulator({ dataset: tinySchool(), shape, sessionid: "sid" });
      const get = async (path: string) =>
        (await fetch(`${sim.url}/api/${path}`, { headers: { Cookie: "sessionid=sid" } })).json();
      const person = await get("ProfileService/GetPersonData");
      expect(person.children_persons[0]).to.have.keys(["person_id", "fullname", "school", "classyear"]);
      expect(person.children_persons[0].person_id).to.be.a("number");
      await fetch(`${sim.url}/api/ProfileService/SetChild`, {
        method: "POST",
        headers: { Cookie: "sessionid=sid", "Content-Type": "application/x-www-form-urlencoded" },
        body: `selected=${person.children_persons[0].person_id}`,
      });
      const raw = await get("MarkService/GetSummaryMarks?date=2025-10-01");
      const sm = shape === "wrapped" ? raw.summary_marks_data[0] : raw;
      expect(sm).to.have.keys(["subperiod", "dates", "discipline_marks"]);
      expect(sm.subperiod).to.deep.equal({ code: "Четверть_1", name: "1 Четверть" });
      const dm = sm.discipline_marks[0];
      expect(dm.average_mark).to.be.a("string");
      expect(dm.marks[0]).to.have.keys(["date", "description", "mark"]);
      expect(dm.marks[0].mark).to.be.a("string");
      const diary = await get("ScheduleService/GetDiary?date=2025-09-29&is_diary=true");
      const lesson = diary.days.flatMap((d: { lessons: unknown[] }) => d.lessons)[0];
      for (const k of [
        "id",
        "index",
        "date",
        "time_begin",
        "time_end",
        "discipline",
        "teacher",
        "theme",
        "homework",
        "mark",
        "mark_type",
        "attendance",
        "is_control_work",
      ])
        expect(lesson).to.have.property(k);
      expect(lesson.mark).to.be.a("string");
    });
  }

  it("an HTML maintenance page is retried and then read through; at the login form it is the platform down", async () => {
    sim = await startBarsSimulator({
      dataset: tinySchool(),
      sessionid: "sid",
      faults: { maintenance: { next: 2 } },
    });
    const c = connector({ auth: { method: "cookie", sessionid: "sid" } });
    expect((await c.check()).ok).to.equal(true);
    expect(c.stats().retries).to.equal(2);
    sim.setFaults({ maintenance: { next: 1 } });
    const e = await failure(connector().check());
    expect(e).to.be.instanceOf(PlatformDownError);
    expect(e.userMessage).to.equal(barsMessages.maintenance);
  });

  it("403: the session is refused, not retried", async () => {
    sim = await startBarsSimulator({ dataset: tinySchool(), faults: { forbidden: {} } });
    const c = connector();
    const e = await failure(c.check());
    expect(e).to.be.instanceOf(AuthFailedError);
    expect(e.userMessage).to.equal(barsMessages.sessionRefused);
    expect(c.stats().retries).to.equal(0);
  });

  it("fault JSON Client.ValidationError is an invalid request", async () => {
    sim = await startBarsSimulator({ dataset: tinySchool(), faults: { fault: { next: 1 } } });
    const e = await failure(connector().check());
    expect(e).to.be.instanceOf(InvalidRequestError);
  });

  it("the lockout: one login request, no retry storm", async () => {
    sim = await startBarsSimulator({ dataset: tinySchool(), faults: { lockout: true } });
    const e = await failure(connector().check());
    expect(e.userMessage).to.equal(barsMessages.lockedOut);
    expect(sim.lines()).to.deep.equal(["POST /auth/login"]);
  });

  it("an expired session of a password source is renewed once, then the run fails with the reason", async () => {
    sim = await startBarsSimulator({ dataset: tinySchool(), faults: { expiredSession: true } });
    const e = await failure(connector().check());
    expect(e).to.be.instanceOf(AuthFailedError);
    expect(sim.lines().filter((l) => l === "POST /auth/login")).to.have.length(2);
  });

  it("slow answers past the timeout are the platform down", async () => {
    sim = await startBarsSimulator({ dataset: tinySchool(), sessionid: "sid", faults: { latencyMs: 400 } });
    const c = connector(
      { auth: { method: "cookie", sessionid: "sid" }, retries: 0 },
      { ...FAST, http: { ...FAST.http, timeoutMs: 50 } },
    );
    const e = await failure(c.check());
    expect(e).to.be.instanceOf(PlatformDownError);
  });
});
