/** Public API of the calendar module: working days and school-local time. */

export {
  addDays,
  assertCalendarDate,
  firstDayOfMonth,
  isoWeekday,
  lastDayOfMonth,
} from "./calendar-date.ts";
export {
  CalendarError,
  ConflictingOverrideError,
  InvalidCalendarDateError,
  InvalidClockTimeError,
  InvalidProductionCalendarError,
  InvalidTimezoneError,
  MissingProductionCalendarError,
} from "./errors.ts";
export { calendarMessages } from "./messages.ru.ts";
export {
  type NationalDayKind,
  type NonWorkingDay,
  ProductionCalendar,
  type ProductionCalendarYear,
  productionCalendarYearSchema,
} from "./production-calendar.ts";
export {
  DEFAULT_CALENDAR_DIR,
  loadProductionCalendar,
  parseProductionCalendarYear,
} from "./production-calendar-loader.ts";
export {
  type OverrideKind,
  SchoolCalendar,
  type SchoolCalendarOptions,
  schoolCalendarOptionsSchema,
} from "./school-calendar.ts";
