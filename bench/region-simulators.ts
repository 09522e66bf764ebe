// The region benchmark's platforms: one Dnevnik.ru simulator per school, all in this process (apart
// from the workers, as real platforms are). Prints one JSON line — the schools with their address,
// platform id, size and preset — and serves until its stdin closes.
import { type DnevnikSimulator, startDnevnikSimulator } from "../src/connectors/dnevnik/simulator.ts";
import { baseDatasets, PRESETS, recordCount, regionSchool } from "./region-schools.ts";

const [count, token] = process.argv.slice(2);
if (!count || !token) throw new Error("usage: region-simulators.ts <schools> <token>");
const bases = await baseDatasets();
const schools = [];
const sims: DnevnikSimulator[] = [];
for (let i = 0; i < Number(count); i++) {
  const { dataset, classes } = regionSchool(bases, i);
  const sim = await startDnevnikSimulator({ dataset, token });
  sims.push(sim);
  const school = dataset.manifest.school;
  schools.push({
    url: sim.url,
    platformId: sim.schoolId,
    timezone: school.timezone,
    workweek: school.workweek,
    classes,
    records: recordCount(dataset),
    preset: PRESETS[i % PRESETS.length],
  });
}
process.stdout.write(`${JSON.stringify(schools)}\n`);
process.stdin.resume();
process.stdin.on("end", () => {
  void Promise.all(sims.map((s) => s.close())).then(() => process.exit(0));
});
