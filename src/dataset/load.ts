// Loads a whole dataset folder into memory (simulators and tests); imports stream instead.
import { FileConnector } from "../connectors/file/connector.ts";
import { readManifest } from "../connectors/file/manifest.ts";
import { STREAMS } from "../model/records.ts";
import type { Dataset, DatasetStreams } from "./types.ts";

export async function loadDataset(dir: string): Promise<Dataset> {
  const manifest = await readManifest(dir);
  const connector = new FileConnector(dir);
  const { streams: present } = await connector.discover();
  const streams = Object.fromEntries(STREAMS.map((s) => [s, []])) as unknown as DatasetStreams;
  for (const stream of present) {
    const target = streams[stream] as unknown[];
    for await (const page of connector.read(stream, { cursor: null })) target.push(...page.records);
  }
  return { manifest, streams };
}
