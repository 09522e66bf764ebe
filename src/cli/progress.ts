// Progress bars on long work, only when a person watches (stderr is a TTY); silent in pipes and CI.
import cliProgress from "cli-progress";

export interface Progress {
  update(label: string, done: number, total?: number): void;
  stop(): void;
}

export function createProgress(options: { enabled?: boolean } = {}): Progress {
  const enabled = options.enabled ?? (Boolean(process.stderr.isTTY) && process.env.CI !== "true");
  if (!enabled) return { update() {}, stop() {} };
  const multi = new cliProgress.MultiBar(
    {
      stream: process.stderr,
      clearOnComplete: false,
      hideCursor: true,
      format: " {label} |{bar}| {percentage}% {value}/{total}",
      formatValue: (v, _o, type) =>
        type === "value" || type === "total" ? v.toLocaleString("en") : String(v),
    },
    cliProgress.Presets.shades_classic,
  );
  const bars = new Map<string, cliProgress.SingleBar>();
  return {
    update(label, done, total) {
      let bar = bars.get(label);
      if (!bar) {
        bar = multi.create(total ?? done, 0, { label: label.padEnd(12) });
        bars.set(label, bar);
      }
      if (total !== undefined) bar.setTotal(total);
      else if (done > bar.getTotal()) bar.setTotal(done);
      bar.update(done, { label: label.padEnd(12) });
    },
    stop() {
      multi.stop();
    },
  };
}
