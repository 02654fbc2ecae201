// SQL of customer growth: the periods of a range (cut to it) with the customers created in each
// (dim_customer.created_date) and the running total since the first customer, in the shape of
// the contract's CustomerGrowth.
import { z } from "zod";
import { sql, type CommonQueryMethods } from "../../runtime/database.js";

export const growthRow = z.object({
  periodStart: z.string(),
  newCustomers: z.bigint(),
  cumulativeCustomers: z.bigint(),
});

/** A period length: the date_trunc unit that finds a period's first day, and the step to the next. */
export type PeriodUnit = "day" | "week" | "month";

/** Up to `limit` periods of the range starting after `after`, oldest first. */
export function findGrowthPeriods(
  db: CommonQueryMethods,
  query: { start: string; end: string; unit: PeriodUnit; after?: string; limit: number },
) {
  const step = `1 ${query.unit}`;
  return db.any(sql.type(growthRow)`
    WITH periods AS (
      SELECT GREATEST(p::date, ${query.start}::date) AS period_start,
             LEAST((p + ${step}::interval)::date - 1, ${query.end}::date) AS period_end
      FROM generate_series(date_trunc(${query.unit}, ${query.start}::date::timestamp),
                           ${query.end}::date::timestamp, ${step}::interval) AS p
    ), page AS (
      SELECT period_start, period_end FROM periods
      WHERE period_start > COALESCE(${query.after ?? null}::date, '-infinity'::date)
      ORDER BY period_start
      LIMIT ${query.limit}
    ), counted AS (
      SELECT page.period_start, page.period_end, COUNT(c.customer_id) AS new_customers
      FROM page
      LEFT JOIN dim_customer c ON c.created_date BETWEEN page.period_start AND page.period_end
      GROUP BY page.period_start, page.period_end
    ), earlier AS (
      SELECT COUNT(*) AS n FROM dim_customer
      WHERE created_date < (SELECT MIN(period_start) FROM page)
    )
    SELECT counted.period_start::text AS "periodStart", counted.new_customers AS "newCustomers",
           (earlier.n + SUM(counted.new_customers) OVER (ORDER BY counted.period_start))::bigint
             AS "cumulativeCustomers"
    FROM counted CROSS JOIN earlier
    ORDER BY counted.period_start
  `);
}
