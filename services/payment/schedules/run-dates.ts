// The calendar of a scheduled payment. A schedule keeps to its anchor date (the first run): a
// monthly schedule anchored on the 31st runs on the 31st, or on the last day of a shorter month,
// and returns to the 31st afterwards; a yearly one anchored on 29 February runs on 28 February in
// other years. Pure functions over YYYY-MM-DD days (UTC), tested without a database.
import { addDays, calendarDayStart } from "../../runtime/calendar.js";

/** How often a schedule runs (CHECK chk_sp_frequency). */
export type Frequency = "DAILY" | "WEEKLY" | "MONTHLY" | "YEARLY";

function parts(day: string): { year: number; month: number; day: number } {
  const start = calendarDayStart(day);
  if (!start) throw new RangeError(`not a calendar day: ${day}`);
  return { year: start.getUTCFullYear(), month: start.getUTCMonth() + 1, day: start.getUTCDate() };
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** The anchor's day of month in the month `monthsAfter` months after the anchor's, clamped. */
function monthsAfterAnchor(anchor: string, monthsAfter: number): string {
  const a = parts(anchor);
  const index = a.year * 12 + (a.month - 1) + monthsAfter;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return `${pad(year, 4)}-${pad(month)}-${pad(Math.min(a.day, daysInMonth(year, month)))}`;
}

/** The run after `runDate` of a schedule anchored at `anchor`. */
export function nextRunDate(anchor: string, frequency: Frequency, runDate: string): string {
  switch (frequency) {
    case "DAILY":
      return addDays(runDate, 1);
    case "WEEKLY":
      return addDays(runDate, 7);
    case "MONTHLY":
    case "YEARLY": {
      const step = frequency === "MONTHLY" ? 1 : 12;
      const a = parts(anchor);
      const r = parts(runDate);
      // The run's position in the series, counted in steps from the anchor.
      const elapsed = Math.floor(((r.year - a.year) * 12 + (r.month - a.month)) / step);
      return monthsAfterAnchor(anchor, (elapsed + 1) * step);
    }
  }
}

/** The run dates of a schedule from `first` up to and including `until`, in order. */
export function runDatesUntil(anchor: string, frequency: Frequency, first: string, until: string): string[] {
  const dates: string[] = [];
  for (let day = first; day <= until; day = nextRunDate(anchor, frequency, day)) dates.push(day);
  return dates;
}
