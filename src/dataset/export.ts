// Writes the store's live journal of one school as a reglament dataset v1 folder.
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type Manifest, STREAM_FILES, STREAMS, type StreamName } from "../model/records.ts";
import type { Db } from "../store/db.ts";
import { readLiveRecords } from "../store/read-records.ts";
import { lastObservedAt, listSchools } from "../store/sync-state.ts";

export class ExportError extends Error {}

export async function exportDataset(
  db: Db,
  schoolId: string,
  dir: string,
  onProgress?: (stream: StreamName, written: number) => void,
): Promise<Record<StreamName, number>> {
  const school = (await listSchools(db)).find((s) => s.id === schoolId);
  if (!school) throw new ExportError(`no school "${schoolId}" in the store`);
  const observedAt = await lastObservedAt(db, schoolId);
  if (!observedAt) throw new ExportError(`school "${schoolId}" has no completed observation to export`);
  await mkdir(dir, { recursive: true });
  const manifest: Manifest = {
    format: "reglament-dataset",
    version: 1,
    observedAt: observedAt.toISOString(),
    school,
  };
  await writeFile(join(dir, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  const counts = {} as Record<StreamName, number>;
  for (const stream of STREAMS) {
    const out = createWriteStream(join(dir, STREAM_FILES[stream]), { encoding: "utf8" });
    let n = 0;
    for await (const page of readLiveRecords(db, schoolId, stream)) {
      const chunk = page.map((r) => `${JSON.stringify(r)}\n`).join("");
      if (!out.write(chunk)) await once(out, "drain");
      n += page.length;
      onProgress?.(stream, n);
    }
    out.end();
    await once(out, "finish");
    counts[stream] = n;
  }
  return counts;
}
