// A school's stage jobs (check, reports, …) run one at a time across all workers: their group is the
// school, so one big school holds at most one worker slot and the other schools take the rest in turn.
import type { JobData, JobQueue } from "./types.ts";

/** The group of a school's stage jobs. */
export function schoolGroup(schoolId: string): string {
  return `school:${schoolId}`;
}

/** Enqueues a stage for one school, its id derived from the job that asks so a repeat adds nothing. */
export async function enqueueSchoolStage(
  queue: JobQueue,
  stage: string,
  schoolId: string,
  data: JobData,
  jobId: string,
): Promise<boolean> {
  const added = await queue.add(stage, { ...data, schoolId }, { jobId, groupKey: schoolGroup(schoolId) });
  return !added.duplicate;
}
