/**
 * Renders journals on worker threads (piscina), one per core by default: pdfkit drawing is the
 * archive's CPU work, and a thread keeps its parsed fonts for every journal it renders. Each thread
 * holds one journal at a time, so memory grows with the threads, not with the school.
 */
import { availableParallelism } from "node:os";
import { Piscina } from "piscina";
import type { RenderedJournal, RenderJournalOptions } from "./journal.ts";
import type { JournalData } from "./journal-data.ts";
import type { RenderTask } from "./journal-render-worker.ts";

/** Threads by default: the cores the process may use. */
export function defaultRenderThreads(): number {
  return availableParallelism();
}

// Running from the TypeScript sources (tsx), the worker is a .ts file and needs tsx in its thread too;
// from the ahead-of-time build (dist/) it is plain .js.
const fromSources = import.meta.url.endsWith(".ts");
const WORKER = new URL(`./journal-render-worker.${fromSources ? "ts" : "js"}`, import.meta.url).href;

/** The parent's module loaders (a thread refuses process-wide flags such as --expose-gc), plus tsx when needed. */
function workerExecArgv(): string[] {
  const loaders: string[] = [];
  const argv = process.execArgv;
  for (let i = 0; i < argv.length; i++) {
    const flag = /^--(import|require|loader|experimental-loader|conditions)(=.*)?$/.exec(argv[i]);
    if (!flag) continue;
    loaders.push(argv[i]);
    if (flag[2] === undefined && i + 1 < argv.length) loaders.push(argv[++i]);
  }
  const hasTsx = loaders.some((arg) => /(^|[=/])tsx\b/.test(arg));
  return fromSources && !hasTsx ? [...loaders, "--import", "tsx"] : loaders;
}

export class JournalRenderPool {
  private readonly pool: Piscina;

  constructor(threads = defaultRenderThreads()) {
    this.pool = new Piscina({
      filename: WORKER,
      minThreads: threads,
      maxThreads: threads,
      execArgv: workerExecArgv(),
      // a task waits in the queue rather than a thread idling: the caller bounds how many are queued
      concurrentTasksPerWorker: 1,
    });
  }

  get threads(): number {
    return this.pool.options.maxThreads;
  }

  async render(data: JournalData, options: RenderJournalOptions): Promise<RenderedJournal> {
    const task: RenderTask = { data, options };
    const result = (await this.pool.run(task)) as RenderedJournal;
    // structured clone hands a Uint8Array back; callers expect the Buffer renderJournal gives
    return { ...result, pdf: Buffer.from(result.pdf.buffer, result.pdf.byteOffset, result.pdf.byteLength) };
  }

  close(): Promise<void> {
    return this.pool.destroy();
  }
}
