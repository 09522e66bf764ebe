// A sync run in its own process, so a test can SIGKILL it mid-run. Env: DATABASE_URL, SCHEMA,
// SOURCE (JSON source config), FROM, TO, KILL_AT_PAGE (kill itself with SIGKILL after that many commits;
// every page is its own commit here, so the kill lands inside a stream).
import { createConnector } from "../../../src/connectors/registry.ts";
import { openStore } from "../../../src/store/open-store.ts";
import { runSync } from "../../../src/sync/run-sync.ts";

const db = await openStore({ databaseUrl: process.env.DATABASE_URL, schema: process.env.SCHEMA });
const killAt = Number(process.env.KILL_AT_PAGE ?? 0);
let pages = 0;
const summary = await runSync(db, createConnector(JSON.parse(process.env.SOURCE ?? "{}")), {
  source: "crashy",
  full: false,
  from: process.env.FROM,
  to: process.env.TO,
  batchRecords: 1,
  afterCommit: () => {
    pages++;
    if (killAt && pages >= killAt) process.kill(process.pid, "SIGKILL");
  },
});
console.log(JSON.stringify({ pages, totals: summary.totals }));
await db.close();
