// Days in requests: the contract checks their shape (YYYY-MM-DD) and order; here they must also be
// real days of the warehouse calendar, or the request is INVALID_ARGUMENT naming the field.
import { invalidArgument } from "../runtime/errors.js";
import { isCalendarDate } from "../runtime/calendar.js";
import { calendarEnd, calendarStart, isWarehouseDay } from "./calendar.js";

function problemWith(value: string): string | undefined {
  if (!isCalendarDate(value)) return "must be a calendar day as YYYY-MM-DD";
  if (!isWarehouseDay(value)) return `must be between ${calendarStart} and ${calendarEnd}`;
  return undefined;
}

/** The day of a request field, checked. */
export function requestDay(field: string, value: string): string {
  const problem = problemWith(value);
  if (problem) throw invalidArgument([{ field, description: problem }]);
  return value;
}

/** The inclusive range of two request fields, checked together so both problems are named. */
export function requestRange(start: string, end: string): { start: string; end: string } {
  const violations = [
    { field: "start", description: problemWith(start) },
    { field: "end", description: problemWith(end) },
  ].filter((v): v is { field: string; description: string } => v.description !== undefined);
  if (violations.length === 0 && end < start) {
    violations.push({ field: "end", description: "must not be before start" });
  }
  if (violations.length > 0) throw invalidArgument(violations);
  return { start, end };
}
