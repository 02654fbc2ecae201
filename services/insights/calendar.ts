// The warehouse calendar (dim_date): the days facts can fall on and queries can ask about.
import { isCalendarDate, utcDay } from "../runtime/calendar.js";

/** The first day of dim_date. */
export const calendarStart = "2000-01-01";
/** The last day of dim_date. */
export const calendarEnd = "2050-12-31";

/** Whether the day (YYYY-MM-DD) is one of dim_date's days. */
export function isWarehouseDay(day: string): boolean {
  return isCalendarDate(day) && day >= calendarStart && day <= calendarEnd;
}

/** The UTC day that lies the given number of days after 1970-01-01 (how Debezium sends DATE). */
export function dayFromEpochDays(days: number): string {
  return utcDay(new Date(days * 86_400_000));
}
