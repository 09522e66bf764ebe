// The file connector: a reglament dataset v1 folder read as a platform. Always a full read; a stream
// whose file is absent is not offered (so a missing file never deletes a whole stream).
import { existsSync } from "node:fs";
import { join } from "node:path";
import { STREAM_FILES, STREAMS, type StreamName } from "../../model/records.ts";
import type { CheckResult, Connector, Discovery, Page, ReadOptions } from "../types.ts";
import { readJsonlPages } from "./jsonl-pages.ts";
import { readManifest } from "./manifest.ts";

export class FileConnector implements Connector {
  readonly kind = "file";
  constructor(private readonly dir: string) {}

  async check(): Promise<CheckResult> {
    const m = await readManifest(this.dir);
    return { ok: true, detail: `dataset v${m.version} of school ${m.school.id}, observed ${m.observedAt}` };
  }

  async discover(): Promise<Discovery> {
    const m = await readManifest(this.dir);
    return {
      school: m.school,
      observedAt: m.observedAt,
      streams: STREAMS.filter((s) => existsSync(join(this.dir, STREAM_FILES[s]))),
    };
  }

  read<S extends StreamName>(stream: S, _options: ReadOptions): AsyncIterable<Page<S>> {
    return readJsonlPages(stream, join(this.dir, STREAM_FILES[stream]));
  }

  stats(): { requests: number; retries: number } {
    return { requests: 0, retries: 0 };
  }
}
