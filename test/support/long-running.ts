// A long-running command as a person runs it in a terminal: output collected, waits for a line, Ctrl-C
// to its whole process group (npm passes the terminal's SIGINT on to its script the same way).
import { spawn } from "node:child_process";

export function startLong(command: string, args: string[], env: NodeJS.ProcessEnv, cwd?: string) {
  const child = spawn(command, args, { env, cwd, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let out = "";
  let err = "";
  child.stdout.on("data", (d) => {
    out += d;
  });
  child.stderr.on("data", (d) => {
    err += d;
  });
  const exited = new Promise<string>((resolve) =>
    child.on("close", (code, signal) => resolve(code === null ? `signal ${signal}` : `code ${code}`)),
  );
  const until = async (re: RegExp, where: () => string) => {
    let ended = false;
    void exited.then(() => {
      ended = true;
    });
    while (!re.test(where()) && !ended) await new Promise((r) => setTimeout(r, 100));
  };
  return {
    child,
    exited,
    out: () => out,
    err: () => err,
    untilOut: (re: RegExp) => until(re, () => out),
    untilErr: (re: RegExp) => until(re, () => err),
    /** Ctrl-C in a terminal: SIGINT to the whole process group. */
    interrupt: () => process.kill(-(child.pid as number), "SIGINT"),
  };
}
