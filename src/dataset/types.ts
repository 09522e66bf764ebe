// A reglament dataset held in memory: for simulators and tests. Large imports stream instead.
import type { Manifest, StreamName, StreamRecords } from "../model/records.ts";

export type DatasetStreams = { [S in StreamName]: StreamRecords[S][] };

export interface Dataset {
  manifest: Manifest;
  streams: DatasetStreams;
}
