// npm run bench:sync — the large demo school through the Dnevnik.ru simulator into PostgreSQL:
// records/s, requests made, peak memory; then a no-change re-sync (rows written must be 0).

import { syncThroughSimulator } from "../src/cli/commands/start.ts";
import { loadDataset } from "../src/dataset/load.ts";
import { openStore } from "../src/store/open-store.ts";
import { dropSchema } from "../test/support/engines.ts";
import { largeDemoDir } from "./large-demo.ts";
import { mib, trackPeakRss } from "./peak-memory.ts";

const url = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const schema = `bench_sync_${Date.now()}`;
const ds = await loadDataset(await largeDemoDir());
const db = await openStore({ databaseUrl: url, schema });
try {
  const classes = ds.streams.classes.length;
  const mem = trackPeakRss();
  const t = performance.now();
  const s = await syncThroughSimulator(db, ds);
  const secs = (performance.now() - t) / 1000;
  const peak = mem.stop();
  console.log(
    `first sync: ${s.totals.read.toLocaleString("en")} records in ${secs.toFixed(1)} s = ${Math.round(s.totals.read / secs).toLocaleString("en")} records/s, ` +
      `${s.requests} requests (${classes} classes), ${s.retries} retries, peak RSS ${mib(peak)}`,
  );
  const t2 = performance.now();
  const again = await syncThroughSimulator(db, ds);
  const written = again.totals.inserted + again.totals.updated + again.totals.deleted;
  console.log(
    `no-change re-sync: ${written} rows written, ${again.requests} requests, ${((performance.now() - t2) / 1000).toFixed(1)} s`,
  );
} finally {
  await db.close();
  await dropSchema(schema, url);
}
