// The warehouse calendar (dim_date): the days facts can fall on and queries can ask about.

/** The first day of dim_date. */
export const calendarStart = "2000-01-01";
/** The last day of dim_date. */
export const calendarEnd = "2050-12-31";

const dayPattern = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether the text is a real calendar day written as YYYY-MM-DD (2026-02-30 is not). */
export function isCalendarDate(text: string): boolean {
  const match = dayPattern.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Whether the day (YYYY-MM-DD) is one of dim_date's days. */
export function isWarehouseDay(day: string): boolean {
  return isCalendarDate(day) && day >= calendarStart && day <= calendarEnd;
}

/** The UTC day of an instant as YYYY-MM-DD. */
export function utcDay(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

/** The UTC day that lies the given number of days after 1970-01-01 (how Debezium sends DATE). */
export function dayFromEpochDays(days: number): string {
  return utcDay(new Date(days * 86_400_000));
}
