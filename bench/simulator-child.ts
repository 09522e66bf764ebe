// Starts bench/simulator-process.ts as a child process and waits for its address.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

export interface ChildSimulator {
  url: string;
  schoolId: string;
  /** The child's process id (its CPU time is the platform's share of a run). */
  pid: number;
  close(): Promise<void>;
}

export async function startSimulatorProcess(dir: string, token: string): Promise<ChildSimulator> {
  const child = spawn(process.execPath, ["--import", "tsx", "bench/simulator-process.ts", dir, token], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const first = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once("line", resolve);
    child.once("exit", (code) => reject(new Error(`the simulator process exited with ${code}`)));
  });
  const { url, schoolId } = JSON.parse(first) as { url: string; schoolId: string };
  return {
    url,
    schoolId,
    pid: child.pid ?? 0,
    close: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.stdin.end();
      }),
  };
}
