// The calendar of scheduled payments: month ends clamp and come back, leap days, weeks, catch-up.
import { nextRunDate, runDatesUntil } from "../schedules/run-dates.js";

describe("nextRunDate", () => {
  it("runs a monthly schedule anchored on the 31st on the last day of shorter months, then on the 31st again", () => {
    expect(runDatesUntil("2026-01-31", "MONTHLY", "2026-01-31", "2026-06-30")).toEqual([
      "2026-01-31",
      "2026-02-28",
      "2026-03-31",
      "2026-04-30",
      "2026-05-31",
      "2026-06-30",
    ]);
  });

  it("clamps to 29 February in a leap year", () => {
    expect(nextRunDate("2028-01-30", "MONTHLY", "2028-01-30")).toBe("2028-02-29");
    expect(nextRunDate("2028-01-30", "MONTHLY", "2028-02-29")).toBe("2028-03-30");
  });

  it("runs a yearly schedule anchored on 29 February on 28 February in other years", () => {
    expect(runDatesUntil("2028-02-29", "YEARLY", "2028-02-29", "2033-01-01")).toEqual([
      "2028-02-29",
      "2029-02-28",
      "2030-02-28",
      "2031-02-28",
      "2032-02-29",
    ]);
  });

  it("steps daily and weekly across month and year ends", () => {
    expect(nextRunDate("2026-12-31", "DAILY", "2026-12-31")).toBe("2027-01-01");
    expect(runDatesUntil("2026-12-24", "WEEKLY", "2026-12-24", "2027-01-15")).toEqual([
      "2026-12-24",
      "2026-12-31",
      "2027-01-07",
      "2027-01-14",
    ]);
  });

  it("lists the runs to catch up in order, and none before the first", () => {
    expect(runDatesUntil("2026-03-15", "MONTHLY", "2026-03-15", "2026-03-14")).toEqual([]);
    expect(runDatesUntil("2026-03-15", "MONTHLY", "2026-04-15", "2026-07-01")).toEqual([
      "2026-04-15",
      "2026-05-15",
      "2026-06-15",
    ]);
  });
});
