// Sign-in and the request hygiene around it: a new session at every login (no fixation), a dead
// cookie after logout, lockout after 5 wrong passwords, the per-IP rate limit, oversized and
// malformed bodies, injection attempts in filters, the audit trail, ETag/304 and pagination.
import { expect } from "chai";
import { forEachEngine } from "../support/engines.ts";
import { Client, type Harness, PASSWORD, SCHOOL_A, serveApi, signedIn, startHarness } from "./support.ts";

forEachEngine("console sessions and request hygiene", ({ open }) => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  it("login makes a new session (a planted cookie is not signed in), logout kills it", async function () {
    this.timeout(120_000);
    h = await startHarness(await open());
    const c = new Client(h.base);
    c.cookie = "reglament_session=planted-by-attacker";
    expect((await c.call("GET", "/api/v1/session")).status).to.equal(401);
    const r = await c.login("deputy-school-a");
    expect(r.status).to.equal(200);
    const setCookie = r.headers.get("set-cookie") ?? "";
    expect(setCookie)
      .to.match(/HttpOnly/i)
      .and.match(/SameSite=Strict/i)
      .and.match(/Path=\//);
    expect(c.cookie).to.not.equal("reglament_session=planted-by-attacker");
    const body = r.body as {
      user: { role: string; roleLabel: string; schools: { id: string; name: string }[] };
    };
    expect(body.user.role).to.equal("deputy");
    expect(body.user.roleLabel).to.equal("Заместитель директора по УВР");
    expect(body.user.schools).to.deep.equal([{ id: SCHOOL_A, name: "Школа А", timezone: "Europe/Moscow" }]);
    const first = c.cookie;
    // A second login gives yet another session; the cookie it replaced is dead.
    await c.login("deputy-school-a");
    expect(c.cookie).to.not.equal(first);
    const old = new Client(h.base);
    old.cookie = first;
    expect((await old.call("GET", "/api/v1/session")).status).to.equal(401);
    const kept = c.cookie;
    expect((await c.call("POST", "/api/v1/session/logout")).status).to.equal(204);
    const after = new Client(h.base);
    after.cookie = kept;
    expect((await after.call("GET", "/api/v1/session")).status).to.equal(401);
    const [{ n }] = await h.db.query<{ n: string }>("SELECT count(*) AS n FROM user_sessions");
    expect(Number(n)).to.equal(0);
    // Cookie values are stored only hashed.
    await c.login("deputy-school-a");
    const value = (c.cookie ?? "").split("=")[1];
    expect(await h.db.query("SELECT 1 FROM user_sessions WHERE id_hash = $1", [value])).to.deep.equal([]);
  });

  it("the same 401 for an unknown login and a wrong password; 5 wrong passwords lock for 15 minutes", async function () {
    this.timeout(120_000);
    h = await startHarness(await open());
    const c = new Client(h.base);
    const unknown = await c.login("nobody", "whatever-123");
    const wrong = await c.login("deputy-school-a", "wrong-password");
    expect(unknown.status).to.equal(401);
    expect(wrong.status).to.equal(401);
    expect((unknown.body as { title: string }).title).to.equal((wrong.body as { title: string }).title);
    for (let i = 2; i <= 4; i++)
      expect((await c.login("deputy-school-a", "wrong-password")).status).to.equal(401);
    const fifth = await c.login("deputy-school-a", "wrong-password");
    expect(fifth.status).to.equal(423);
    expect((fifth.body as { title: string }).title).to.match(/^Учётная запись временно заблокирована/);
    // Locked: the right password does not open it either, and no session is made.
    expect((await c.login("deputy-school-a", PASSWORD)).status).to.equal(423);
    expect(c.cookie).to.equal(null);
    const [u] = await h.db.query<{ locked_until: Date }>(
      "SELECT locked_until FROM users WHERE login = 'deputy-school-a'",
    );
    const minutes = (new Date(u.locked_until).getTime() - Date.now()) / 60_000;
    expect(minutes).to.be.within(14, 15.1);
    // Another account is not affected; once the lock has passed, the right password works again.
    expect((await new Client(h.base).login("director-school-a")).status).to.equal(200);
    await h.db.query(
      "UPDATE users SET locked_until = now() - interval '1 second' WHERE login = 'deputy-school-a'",
    );
    expect((await c.login("deputy-school-a", PASSWORD)).status).to.equal(200);
    const actions = await h.db.query<{ action: string }>("SELECT action FROM audit_log ORDER BY id");
    expect(actions.map((a) => a.action)).to.include.members(["login.failed", "login.locked", "login"]);
  });

  it("limits login attempts per IP with 429", async function () {
    this.timeout(120_000);
    h = await startHarness(await open(), { session: { loginAttemptsPerIp: 3 } });
    const c = new Client(h.base);
    for (let i = 0; i < 3; i++) expect((await c.login(`nobody${i}`, "x-password")).status).to.equal(401);
    const r = await c.login("deputy-school-a");
    expect(r.status).to.equal(429);
    expect(r.headers.get("content-type")).to.match(/application\/problem\+json/);
  });

  it("two servers on one store share the IP limit, the lockout and the sessions with their CSRF tokens", async function () {
    this.timeout(120_000);
    h = await startHarness(await open(), { session: { loginAttemptsPerIp: 4 } });
    const other = await serveApi(h.db, { session: { loginAttemptsPerIp: 4 } });
    try {
      // The IP limit: 2 tries on one server and 2 on the other use up 4; the fifth anywhere is 429.
      const a = new Client(h.base);
      const b = new Client(other.base);
      expect((await a.login("deputy-school-a", "wrong-1")).status).to.equal(401);
      expect((await b.login("deputy-school-a", "wrong-2")).status).to.equal(401);
      expect((await a.login("deputy-school-a", "wrong-3")).status).to.equal(401);
      expect((await b.login("deputy-school-a", "wrong-4")).status).to.equal(401);
      expect((await a.login("deputy-school-a")).status).to.equal(429);
      expect((await b.login("deputy-school-a")).status).to.equal(429);
      // A window that has passed counts from 1 again.
      await h.db.query("UPDATE login_rate SET window_start = now() - interval '1 hour'");
      // The lockout: the fifth wrong password (on the other server) locks the account for both.
      expect((await b.login("deputy-school-a", "wrong-5")).status).to.equal(423);
      expect((await a.login("deputy-school-a")).status).to.equal(423);
      // A session made on one server works on the other, and its CSRF token is checked there too.
      const s = await signedIn(h.base, "director");
      const moved = new Client(other.base);
      moved.cookie = s.cookie;
      moved.csrf = s.csrf;
      expect((await moved.call("GET", "/api/v1/session")).status).to.equal(200);
      const noToken = await moved.call("POST", "/api/v1/session/logout", undefined, { csrf: false });
      expect(noToken.status).to.equal(403);
      expect((await moved.call("GET", "/api/v1/session")).status).to.equal(200);
      expect((await moved.call("POST", "/api/v1/session/logout")).status).to.equal(204);
      expect((await s.call("GET", "/api/v1/session")).status).to.equal(401);
    } finally {
      await other.close();
    }
  });

  it("refuses oversized and malformed bodies and wrong types with problem+json, changing nothing", async function () {
    this.timeout(120_000);
    h = await startHarness(await open());
    const admin = await signedIn(h.base, "admin");
    const big = await admin.call("POST", "/api/v1/sources", {
      id: "big",
      kind: "moodle",
      config: { junk: "x".repeat(200_000) },
    });
    expect(big.status).to.equal(413);
    expect(big.headers.get("content-type")).to.match(/application\/problem\+json/);
    const malformed = await admin.call("POST", "/api/v1/sources", undefined, { raw: '{"id": "x",' });
    expect(malformed.status).to.equal(400);
    const wrongType = await admin.call("POST", "/api/v1/users", {
      login: "x1",
      displayName: "X",
      password: 12345678,
      role: "superuser",
      schoolIds: [SCHOOL_A],
    });
    expect(wrongType.status).to.equal(400);
    const errors = (wrongType.body as { errors: { path: string }[] }).errors.map((e) => e.path);
    expect(errors).to.include.members(["password", "role"]);
    expect(await h.db.query("SELECT id FROM sources")).to.deep.equal([]);
    expect(await h.db.query("SELECT id FROM users WHERE login = 'x1'")).to.deep.equal([]);
  });

  it("treats SQL and HTML in filters as text: nothing leaks, nothing breaks", async function () {
    this.timeout(120_000);
    h = await startHarness(await open());
    const director = await signedIn(h.base, "director");
    for (const evil of ["' OR 1=1 --", "x'; DROP TABLE users; --", "<script>alert(1)</script>"]) {
      const r = await director.call(
        "GET",
        `/api/v1/schools/${SCHOOL_A}/audit?action=${encodeURIComponent(evil)}&login=${encodeURIComponent(evil)}`,
      );
      expect(r.status).to.equal(200);
      expect((r.body as { total: number }).total).to.equal(0);
      expect(r.text).to.not.contain("<script>");
    }
    const bad = await director.call(
      "GET",
      `/api/v1/schools/${SCHOOL_A}/audit?from=${encodeURIComponent("2026-01-01' OR '1'='1")}`,
    );
    expect(bad.status).to.equal(400);
    const [{ n }] = await h.db.query<{ n: string }>("SELECT count(*) AS n FROM users");
    expect(Number(n)).to.equal(10);
    // A refused school id in the URL is refused, not searched for.
    const other = await director.call(
      "GET",
      `/api/v1/schools/${encodeURIComponent("school-a' OR '1'='1")}/audit`,
    );
    expect(other.status).to.equal(403);
  });

  it("writes audit rows for changes and reads, answers a repeated list with 304, and pages", async function () {
    this.timeout(120_000);
    h = await startHarness(await open());
    const admin = await signedIn(h.base, "admin");
    for (let i = 1; i <= 5; i++) {
      const r = await admin.call("POST", "/api/v1/users", {
        login: `coord${i}`,
        displayName: `Координатор ${i}`,
        password: "long-enough-1",
        role: "coordinator",
        schoolIds: [SCHOOL_A],
      });
      expect(r.status, r.text).to.equal(201);
    }
    // An admin grants only their own schools.
    const foreign = await admin.call("POST", "/api/v1/users", {
      login: "foreign",
      displayName: "Чужой",
      password: "long-enough-1",
      role: "deputy",
      schoolIds: ["school-b"],
    });
    expect(foreign.status).to.equal(403);
    const director = await signedIn(h.base, "director");
    const page1 = await director.call("GET", `/api/v1/schools/${SCHOOL_A}/audit?action=user.add&pageSize=2`);
    expect(page1.status).to.equal(200);
    const body = page1.body as {
      items: { action: string; login: string; target: string }[];
      total: number;
      page: number;
      pageSize: number;
    };
    expect(body.total).to.equal(5);
    expect(body.items).to.have.length(2);
    expect(body.items[0]).to.include({ action: "user.add", login: "admin-school-a" });
    const page3 = await director.call(
      "GET",
      `/api/v1/schools/${SCHOOL_A}/audit?action=user.add&pageSize=2&page=3`,
    );
    expect((page3.body as { items: unknown[] }).items).to.have.length(1);
    // The director's reads are in the log too.
    const [read] = await h.db.query<{ action: string; school_id: string }>(
      "SELECT action, school_id FROM audit_log WHERE action = 'audit.list' ORDER BY id LIMIT 1",
    );
    expect(read).to.deep.equal({ action: "audit.list", school_id: SCHOOL_A });
    // ETag and 304 on a list that did not change (max-age=0: fetch would send no-cache with If-None-Match).
    const users = await admin.call("GET", `/api/v1/schools/${SCHOOL_A}/users`);
    const etag = users.headers.get("etag");
    expect(etag).to.match(/^W\//);
    const again = await admin.call("GET", `/api/v1/schools/${SCHOOL_A}/users`, undefined, {
      headers: { "if-none-match": etag as string, "cache-control": "max-age=0" },
    });
    expect(again.status).to.equal(304);
    // Changed list → a new ETag.
    const [u] = await h.db.query<{ id: string }>("SELECT id FROM users WHERE login = 'coord1'");
    const patched = await admin.call("PATCH", `/api/v1/users/${u.id}`, { role: "deputy" });
    expect(patched.status).to.equal(200);
    const changed = await admin.call("GET", `/api/v1/schools/${SCHOOL_A}/users`, undefined, {
      headers: { "if-none-match": etag as string, "cache-control": "max-age=0" },
    });
    expect(changed.status).to.equal(200);
  });

  it("serves health, readiness, metrics, openapi.json, security headers and the not-built page", async function () {
    this.timeout(120_000);
    h = await startHarness(await open());
    const c = new Client(h.base);
    expect((await c.call("GET", "/healthz")).body).to.deep.equal({ status: "ok" });
    expect((await c.call("GET", "/readyz")).body).to.deep.equal({ store: "ok", queue: "ok" });
    await c.login("deputy-school-a");
    const metrics = await c.call("GET", "/metrics");
    for (const name of [
      "reglament_sync_runs_total",
      "reglament_sync_duration_seconds",
      "reglament_platform_requests_total",
      "reglament_findings_open",
      "reglament_outbox_backlog",
      "http_request_duration_seconds",
    ])
      expect(metrics.text).to.contain(`# TYPE ${name}`);
    expect(metrics.text).to.match(
      /http_request_duration_seconds_count\{route="\/api\/v1\/session\/login",method="POST",status="200"\} 1/,
    );
    const doc = (await c.call("GET", "/api/v1/openapi.json")).body as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(doc.openapi).to.equal("3.1.0");
    expect(doc.paths).to.have.property("/api/v1/schools/{school}/sources");
    expect(doc.paths).to.have.property("/api/v1/session/login");
    const page = await c.call("GET", "/", undefined, { headers: { accept: "text/html" } });
    expect(page.text).to.contain("Консоль не собрана");
    expect(page.headers.get("x-content-type-options")).to.equal("nosniff");
    expect(page.headers.get("content-security-policy")).to.contain("default-src 'self'");
    expect((await c.call("GET", "/api/v1/nothing-here")).status).to.equal(404);
  });
});
