/** Errors of the job queue. Developer-facing (English): no job payload or personal data in messages. */

/** Job data is not a flat object of ids and scalars. */
export class InvalidJobDataError extends Error {
  constructor(
    readonly jobName: string,
    readonly detail: string,
  ) {
    super(
      `Invalid data for job "${jobName}": ${detail}. Jobs carry ids only: a flat object of strings, numbers and booleans.`,
    );
    this.name = "InvalidJobDataError";
  }
}

/** Job data is over the size limit: a payload was passed where an id belongs. */
export class JobDataTooLargeError extends Error {
  constructor(
    readonly jobName: string,
    readonly bytes: number,
    readonly limitBytes: number,
  ) {
    super(
      `Data for job "${jobName}" is ${bytes} bytes, over the ${limitBytes}-byte limit. ` +
        "Jobs carry ids only: store the payload and pass its id.",
    );
    this.name = "JobDataTooLargeError";
  }
}

/** Bad job name, job id or options passed to `add`/`process`. */
export class InvalidJobOptionsError extends Error {
  constructor(detail: string) {
    super(`Invalid job options: ${detail}`);
    this.name = "InvalidJobOptionsError";
  }
}

/** No handler was registered for a job's name; the job fails at once, without retries. */
export class UnknownJobError extends Error {
  constructor(readonly jobName: string) {
    super(`No handler for job "${jobName}"`);
    this.name = "UnknownJobError";
  }
}

/**
 * Thrown by a handler to fail a job at once, without the remaining retries
 * (e.g. the source it names no longer exists). Mapped to BullMQ's UnrecoverableError.
 */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PermanentJobError";
  }
}

/** The queue was closed: no more jobs can be added or processed. */
export class QueueClosedError extends Error {
  constructor(queueName: string) {
    super(`Queue "${queueName}" is closed`);
    this.name = "QueueClosedError";
  }
}

/** A bad schedule entry, an unknown schedule, or a time that is not one of a schedule's slots. */
export class ScheduleError extends Error {
  constructor(detail: string) {
    super(`Schedule: ${detail}`);
    this.name = "ScheduleError";
  }
}
