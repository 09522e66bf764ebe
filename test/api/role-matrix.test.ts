// Every described route × every role: 403 exactly when the permission table refuses the role, never
// otherwise; a user of another school is refused on every /schools/:school route; no session → 401;
// a state-changing call without the CSRF token → 403. Generic over describedRoutes(), so the routes
// other parts add later are covered the day they are registered.
import { expect } from "chai";
import { can } from "../../src/api/access.ts";
import { describedRoutes, type RouteDoc } from "../../src/api/openapi-registry.ts";
import { ROLES, type Role } from "../../src/api/types.ts";
import { forEachEngine } from "../support/engines.ts";
import { Client, type Harness, SCHOOL_A, signedIn, startHarness } from "./support.ts";

/** A path with its params filled: the signed-in user's school, dummy ids elsewhere. */
function pathOf(r: RouteDoc, school: string): string {
  return `/api/v1${r.path.replace(/:(\w+)/g, (_m, name: string) => (name === "school" ? school : "999999"))}`;
}

const isPublic = (r: RouteDoc) => r.permission === null && !r.signedIn;
const changes = (r: RouteDoc) => r.method !== "get";

forEachEngine("the role matrix over every described route", ({ open }) => {
  let h: Harness;
  const clients = new Map<Role, Client>();
  before(async function () {
    this.timeout(120_000);
  });
  beforeEach(async function () {
    this.timeout(120_000);
    h = await startHarness(await open(), { session: { loginAttemptsPerIp: 1000 } });
    for (const role of ROLES) clients.set(role, await signedIn(h.base, role));
  });
  afterEach(async () => {
    await h.close();
  });

  it("allows and refuses each role exactly as the permission table says", async function () {
    this.timeout(300_000);
    const routes = describedRoutes().filter((r) => !isPublic(r) && r.path !== "/session/logout");
    expect(routes.length).to.be.greaterThan(10);
    const wrong: string[] = [];
    for (const r of routes) {
      for (const role of ROLES) {
        const c = clients.get(role) as Client;
        const res = await c.call(
          r.method.toUpperCase(),
          pathOf(r, SCHOOL_A),
          r.method === "get" ? undefined : {},
        );
        const allowed = r.permission === null || can(role, r.permission);
        if (allowed ? res.status === 403 || res.status === 401 : res.status !== 403)
          wrong.push(`${r.method} ${r.path} as ${role}: ${res.status} ${res.text.slice(0, 120)}`);
        if (res.status >= 500) wrong.push(`${r.method} ${r.path} as ${role}: ${res.status}`);
      }
    }
    expect(wrong).to.deep.equal([]);
  });

  it("refuses another school's /schools/:school routes with 403 to every role", async function () {
    this.timeout(300_000);
    const routes = describedRoutes().filter((r) => r.path.startsWith("/schools/:school"));
    expect(routes.length).to.be.greaterThan(3);
    const wrong: string[] = [];
    for (const r of routes)
      for (const role of ROLES) {
        const res = await (clients.get(role) as Client).call(
          r.method.toUpperCase(),
          pathOf(r, "school-b"),
          r.method === "get" ? undefined : {},
        );
        if (res.status !== 403) wrong.push(`${r.method} ${r.path} as ${role}: ${res.status}`);
      }
    expect(wrong).to.deep.equal([]);
  });

  it("answers 401 without a session and 403 to a change without the CSRF token", async function () {
    this.timeout(300_000);
    const anonymous = new Client(h.base);
    const wrong: string[] = [];
    for (const r of describedRoutes().filter((x) => !isPublic(x))) {
      const res = await anonymous.call(
        r.method.toUpperCase(),
        pathOf(r, SCHOOL_A),
        changes(r) ? {} : undefined,
      );
      if (res.status !== 401) wrong.push(`anonymous ${r.method} ${r.path}: ${res.status}`);
      if (res.status === 401) expect(res.headers.get("content-type")).to.match(/application\/problem\+json/);
    }
    for (const r of describedRoutes().filter((x) => changes(x) && !isPublic(x)))
      for (const role of ROLES) {
        const res = await (clients.get(role) as Client).call(
          r.method.toUpperCase(),
          pathOf(r, SCHOOL_A),
          {},
          { csrf: false },
        );
        if (res.status !== 403) wrong.push(`no CSRF ${r.method} ${r.path} as ${role}: ${res.status}`);
        const bad = await (clients.get(role) as Client).call(
          r.method.toUpperCase(),
          pathOf(r, SCHOOL_A),
          {},
          {
            csrf: false,
            headers: { "x-csrf-token": "forged" },
          },
        );
        if (bad.status !== 403) wrong.push(`forged CSRF ${r.method} ${r.path} as ${role}: ${bad.status}`);
      }
    expect(wrong).to.deep.equal([]);
    // Nothing the refused calls touched: still no source, no user beyond the seeded ones.
    expect(await h.db.query("SELECT id FROM sources")).to.deep.equal([]);
    expect((await h.db.query("SELECT id FROM users")).length).to.equal(ROLES.length * 2);
  });
});
