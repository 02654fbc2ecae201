// The time the Loan service reads: loan start and due dates, the day a payment is made, the day the
// delinquency run ages the book, the as-of time of credit reports and features. One dependency, so
// tests move it (a loan opened in the past, a run on a later day) instead of waiting.

/** A source of the current time. */
export interface Clock {
  now(): Date;
}

/** The machine's clock. */
export const systemClock: Clock = { now: () => new Date() };
