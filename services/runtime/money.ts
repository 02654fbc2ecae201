// Money arithmetic on decimals (decimal.js), never floats. Amounts travel as decimal strings with
// two fraction digits and are stored as NUMERIC(18,2).
import { Decimal } from "decimal.js";

/** A decimal type with enough precision for any NUMERIC(18,2) arithmetic, rounding half-even. */
export const Money = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_EVEN });
export type Money = InstanceType<typeof Money>;

/** Parses a decimal string (already validated by the contract) into a Money value. */
export function money(value: string | Money): Money {
  return new Money(value);
}

/** Formats an amount the way the API and the database carry it: two fraction digits, e.g. "-12.50". */
export function formatAmount(value: Money): string {
  return value.toFixed(2, Money.ROUND_HALF_EVEN);
}
