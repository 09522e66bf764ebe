/**
 * Typed errors of the calendar module: an English message for logs and developers, and a
 * Russian `userMessage` for the school user.
 */
import { calendarMessages } from "./messages.ru.ts";

export class CalendarError extends Error {
  readonly userMessage: string;
  constructor(message: string, userMessage: string) {
    super(message);
    this.name = new.target.name;
    this.userMessage = userMessage;
  }
}

/** A date falls in a year for which no production calendar is shipped: never guess. */
export class MissingProductionCalendarError extends CalendarError {
  readonly year: number;
  constructor(year: number) {
    super(
      `no production calendar for ${year}; add config/calendars/ru-${year}.json`,
      calendarMessages.missingYear(year),
    );
    this.year = year;
  }
}

export class InvalidCalendarDateError extends CalendarError {
  constructor(value: string) {
    super(
      `invalid calendar date ${JSON.stringify(value)}; expected YYYY-MM-DD`,
      calendarMessages.invalidDate(value),
    );
  }
}

export class InvalidClockTimeError extends CalendarError {
  constructor(value: string) {
    super(`invalid clock time ${JSON.stringify(value)}; expected HH:MM`, calendarMessages.invalidTime(value));
  }
}

export class InvalidTimezoneError extends CalendarError {
  constructor(zone: string) {
    super(`unknown IANA time zone ${JSON.stringify(zone)}`, calendarMessages.invalidTimezone(zone));
  }
}

export class InvalidProductionCalendarError extends CalendarError {
  constructor(file: string, detail: string) {
    super(`invalid production calendar ${file}: ${detail}`, calendarMessages.invalidCalendarFile(file));
  }
}

export class ConflictingOverrideError extends CalendarError {
  constructor(date: string) {
    super(
      `school calendar lists ${date} twice with different kinds`,
      calendarMessages.conflictingOverride(date),
    );
  }
}
