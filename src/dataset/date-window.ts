// The dates a dataset's periods span: the window a sync reads when it replays that dataset.
import type { Dataset } from "./types.ts";

export function datasetWindow(ds: Dataset): { from: string; to: string } {
  const starts = ds.streams.periods.map((p) => p.start).sort();
  const ends = ds.streams.periods.map((p) => p.end).sort();
  if (starts.length === 0) throw new Error("the dataset has no periods: its date window is unknown");
  return { from: starts[0], to: ends[ends.length - 1] };
}
