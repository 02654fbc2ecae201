// Calendar days as the contracts carry them: "YYYY-MM-DD" strings, always read as UTC days. The
// contract checks the shape; these check that a day exists (2026-02-30 does not) and convert.
import { invalidArgument } from "./errors.js";

const dayPattern = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The UTC midnight a day starts at, or undefined when the text is not a real YYYY-MM-DD day. */
export function calendarDayStart(text: string): Date | undefined {
  const match = dayPattern.exec(text);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return undefined;
  }
  return date;
}

/** Whether the text is a real calendar day written as YYYY-MM-DD. */
export function isCalendarDate(text: string): boolean {
  return calendarDayStart(text) !== undefined;
}

/**
 * The UTC midnight of a request field's day; undefined for an empty field (no filter), and
 * INVALID_ARGUMENT naming the field when it is not a real day.
 */
export function requestDayStart(field: string, value: string): Date | undefined {
  if (value === "") return undefined;
  const date = calendarDayStart(value);
  if (!date) throw invalidArgument([{ field, description: "must be a real date" }]);
  return date;
}

/** The UTC day of an instant as YYYY-MM-DD. */
export function utcDay(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

/** The day a number of days after (or, when negative, before) the given day. */
export function addDays(day: string, days: number): string {
  const start = calendarDayStart(day);
  if (!start) throw new RangeError(`not a calendar day: ${day}`);
  return utcDay(new Date(start.getTime() + days * 86_400_000));
}

/**
 * The day a number of calendar months after (or, when negative, before) the given day, keeping its
 * day of month where that month has it and taking the month's last day where it does not
 * (2026-01-31 + 1 month = 2026-02-28). Count every date of a series from the same start day, so a
 * short month does not shift the later ones.
 */
export function addMonths(day: string, months: number): string {
  const start = calendarDayStart(day);
  if (!start) throw new RangeError(`not a calendar day: ${day}`);
  const monthIndex = start.getUTCMonth() + months;
  const year = start.getUTCFullYear() + Math.floor(monthIndex / 12);
  const month = ((monthIndex % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return utcDay(new Date(Date.UTC(year, month, Math.min(start.getUTCDate(), lastDay))));
}

/** Whole calendar months from one instant to a later one (UTC); 0 when `to` is not later. */
export function wholeMonthsBetween(from: Date, to: Date): number {
  const months = (to.getUTCFullYear() - from.getUTCFullYear()) * 12 + to.getUTCMonth() - from.getUTCMonth();
  return Math.max(0, to.getUTCDate() < from.getUTCDate() ? months - 1 : months);
}
