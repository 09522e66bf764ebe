// A simulated platform (one of the local simulators) serving a dataset, and the source config to reach it.
import { startDnevnikSimulator } from "../../../src/connectors/dnevnik/simulator.ts";
import { startMoodleSimulator } from "../../../src/connectors/moodle/simulator.ts";
import type { Dataset } from "../../../src/dataset/types.ts";

export interface SimulatedSource {
  kind: "dnevnik" | "moodle";
  config: Record<string, unknown>;
  requests(): number;
  setFaults(f: Record<string, unknown>): void;
  close(): Promise<void>;
}

export const TOKEN = "test-token-0123456789";

export async function startSimulatedSource(
  kind: "dnevnik" | "moodle",
  dataset: Dataset,
): Promise<SimulatedSource> {
  const school = dataset.manifest.school;
  if (kind === "dnevnik") {
    const sim = await startDnevnikSimulator({ dataset, token: TOKEN });
    return {
      kind,
      config: {
        baseUrl: sim.url,
        token: TOKEN,
        schoolId: sim.schoolId,
        timezone: school.timezone,
        workweek: school.workweek,
        requestsPerSecond: 100,
        retries: 2,
      },
      requests: () => sim.requests(),
      setFaults: (f) => sim.setFaults(f),
      close: () => sim.close(),
    };
  }
  const sim = await startMoodleSimulator({ dataset, token: TOKEN, attendancePlugin: true });
  return {
    kind,
    // Moodle has no school periods: the school's reporting periods come with the source config.
    config: {
      url: sim.url,
      token: TOKEN,
      school,
      periods: dataset.streams.periods,
      requestsPerSecond: 100,
      retries: 2,
    },
    requests: () => sim.requests(),
    setFaults: (f) => sim.setFaults(f),
    close: () => sim.close(),
  };
}
