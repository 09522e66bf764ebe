/** Russian texts of the calendar module that a school user may read (CLI, API errors). */
export const calendarMessages = {
  missingYear: (year: number): string =>
    `Нет производственного календаря на ${year} год: добавьте файл config/calendars/ru-${year}.json.`,
  invalidDate: (value: string): string => `Неверная дата «${value}»: ожидается ГГГГ-ММ-ДД.`,
  invalidTime: (value: string): string => `Неверное время «${value}»: ожидается ЧЧ:ММ.`,
  invalidTimezone: (zone: string): string => `Неизвестный часовой пояс «${zone}».`,
  invalidCalendarFile: (file: string): string => `Файл производственного календаря ${file} повреждён.`,
  conflictingOverride: (date: string): string =>
    `В календаре школы дата ${date} указана дважды с разным типом дня.`,
} as const;
