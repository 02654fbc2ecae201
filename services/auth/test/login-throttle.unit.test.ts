// The waits of failed logins per username and client address (sessions/login-throttle.ts): free
// failures first, then a wait that doubles with each failure, up to the cap.
import { loginDelaySeconds } from "../sessions/login-throttle.js";

const settings = { freeFailures: 3, maxDelaySeconds: 900, maxFailuresPerAddress: 20, windowSeconds: 900 };

describe("loginDelaySeconds", () => {
  it("costs nothing for the free failures, then 1 s doubling with each failure", () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((n) => loginDelaySeconds(n, settings))).toEqual([
      0, 0, 0, 0, 1, 2, 4, 8,
    ]);
  });

  it("never waits longer than the cap, however many failures", () => {
    expect(loginDelaySeconds(13, settings)).toBe(512);
    expect(loginDelaySeconds(14, settings)).toBe(900);
    expect(loginDelaySeconds(1_000_000, settings)).toBe(900);
  });
});
