// A Dnevnik.ru simulator in its own process, as the real platform is: the benchmark's connector and
// store then do not share a thread with the platform. Prints `{"url","schoolId","pid"}` on one line
// and serves until its stdin closes.
import { startDnevnikSimulator } from "../src/connectors/dnevnik/simulator.ts";
import { loadDataset } from "../src/dataset/load.ts";

const [dir, token] = process.argv.slice(2);
if (!dir || !token) throw new Error("usage: simulator-process.ts <dataset dir> <token>");
const sim = await startDnevnikSimulator({ dataset: await loadDataset(dir), token });
process.stdout.write(`${JSON.stringify({ url: sim.url, schoolId: sim.schoolId, pid: process.pid })}\n`);
process.stdin.resume();
process.stdin.on("end", () => {
  void sim.close().then(() => process.exit(0));
});
