// JSON Lines out through a write stream with backpressure: records are buffered per batch and
// flushed with `await flush()`, which waits for 'drain' when the stream asks it to.
import { once } from "node:events";
import { createWriteStream, type WriteStream } from "node:fs";

export class JsonlWriter {
  readonly path: string;
  #stream: WriteStream;
  #buffer: string[] = [];
  #error: Error | undefined;
  count = 0;

  constructor(path: string) {
    this.path = path;
    this.#stream = createWriteStream(path, { encoding: "utf8" });
    this.#stream.on("error", (err) => {
      this.#error = err;
    });
  }

  push(record: object): void {
    this.#buffer.push(JSON.stringify(record));
    this.count++;
  }

  async flush(): Promise<void> {
    if (this.#error) throw this.#error;
    if (this.#buffer.length === 0) return;
    const chunk = `${this.#buffer.join("\n")}\n`;
    this.#buffer = [];
    if (!this.#stream.write(chunk)) await once(this.#stream, "drain");
    if (this.#error) throw this.#error;
  }

  async close(): Promise<void> {
    await this.flush();
    await new Promise<void>((resolve, reject) => {
      this.#stream.end((err?: Error | null) => (err ? reject(err) : resolve()));
    });
    if (this.#error) throw this.#error;
  }

  /** Close without flushing (after a failure elsewhere); never throws. */
  destroy(): void {
    this.#stream.destroy();
  }
}
