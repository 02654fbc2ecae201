// Reading Debezium change events: the flattened row (ExtractNewRecordState, JSON without schema)
// plus its metadata fields. Every reader checks its column and throws NonRetryableError naming it,
// so a malformed event goes to the dead-letter topic instead of blocking its partition.
import { NonRetryableError } from "../../runtime/kafka-consumer.js";
import { formatAmount, money } from "../../runtime/money.js";
import { isCalendarDate, utcDay } from "../../runtime/calendar.js";
import { dayFromEpochDays } from "../calendar.js";

/** Debezium's operation: create, update, delete, or read (a row of the initial snapshot). */
export type CdcOperation = "c" | "u" | "d" | "r";

/** An instant read from a TIMESTAMPTZ column. */
export interface CdcInstant {
  /** The value as the source sent it (microseconds kept), for PostgreSQL to parse. */
  text: string;
  /** The instant, to the millisecond. */
  at: Date;
  /** Its UTC day as YYYY-MM-DD. */
  day: string;
}

/** One change event of a source table. */
export interface CdcChange {
  /** The source table, e.g. "accounts". */
  table: string;
  op: CdcOperation;
  /** True when the source row was deleted; the row then holds its last state (or only its key). */
  deleted: boolean;
  /** The source database's log sequence number of the change: orders changes of one row. */
  lsn: bigint;
  /** When the change was committed in the source database, if the event says. */
  sourceTs: Date | undefined;
  row: CdcRow;
}

const timestampPattern =
  /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}(?::?\d{2})?)$/;
const decimalPattern = /^-?\d{1,16}(\.\d+)?$/;
const idPattern = /^\d{1,19}$/;

/** The columns of one flattened source row, read with checks. */
export class CdcRow {
  constructor(
    readonly table: string,
    private readonly columns: Readonly<Record<string, unknown>>,
  ) {}

  private fail(column: string, problem: string): never {
    throw new NonRetryableError(`${this.table}.${column} ${problem}`);
  }

  private present(column: string): unknown {
    const value = this.columns[column];
    if (value === undefined || value === null) this.fail(column, "is missing");
    return value;
  }

  /** Whether the column holds a value (not absent, not null). */
  has(column: string): boolean {
    return this.columns[column] !== undefined && this.columns[column] !== null;
  }

  /** A BIGINT id: a non-negative integer, as a JSON number or a decimal string. */
  id(column: string): bigint {
    const value = this.present(column);
    if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
    if (typeof value === "string" && idPattern.test(value)) {
      const id = BigInt(value);
      if (id <= 9_223_372_036_854_775_807n) return id;
    }
    return this.fail(column, "is not a non-negative 64-bit integer");
  }

  optionalId(column: string): bigint | null {
    return this.has(column) ? this.id(column) : null;
  }

  /** An INT id (e.g. a branch id): 0 … 2147483647. */
  int32(column: string): number {
    const value = this.present(column);
    if (typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= 2_147_483_647) {
      return value;
    }
    return this.fail(column, "is not a non-negative 32-bit integer");
  }

  /** A text column of at most maxLength characters (the warehouse column's width). */
  text(column: string, maxLength: number): string {
    const value = this.present(column);
    if (typeof value !== "string") this.fail(column, "is not a string");
    if (value.length > maxLength) this.fail(column, `is longer than ${maxLength} characters`);
    return value;
  }

  optionalText(column: string, maxLength: number): string | null {
    return this.has(column) ? this.text(column, maxLength) : null;
  }

  /** An ISO-4217 currency code such as "USD". */
  currency(column: string): string {
    const value = this.present(column);
    if (typeof value !== "string" || !/^[A-Z]{3}$/.test(value)) this.fail(column, "is not an ISO-4217 code");
    return value;
  }

  /**
   * A NUMERIC money column, sent as a decimal string (decimal.handling.mode=string), returned with
   * two fraction digits (rounded half-even, as NUMERIC(18,2) stores it). A JSON number is refused:
   * it may already have lost cents on the way.
   */
  decimal(column: string): string {
    const value = this.present(column);
    if (typeof value !== "string" || !decimalPattern.test(value)) {
      this.fail(column, "is not a decimal string with at most 16 integer digits");
    }
    return formatAmount(money(value));
  }

  /** A TIMESTAMPTZ column, sent as an ISO-8601 string (or epoch milliseconds). */
  instant(column: string): CdcInstant {
    const value = this.present(column);
    if (typeof value === "number" && Number.isSafeInteger(value)) {
      const at = new Date(value);
      return { text: at.toISOString(), at, day: utcDay(at) };
    }
    const match = typeof value === "string" ? timestampPattern.exec(value) : null;
    if (!match || !isCalendarDate(match[1]!)) return this.fail(column, "is not an ISO-8601 timestamp");
    const [, date, hours, minutes, seconds = "00", fraction = "", zone] = match;
    const offset =
      zone === "Z" ? "Z" : zone!.length === 3 ? `${zone}:00` : `${zone!.slice(0, 3)}:${zone!.slice(-2)}`;
    const at = new Date(`${date}T${hours}:${minutes}:${seconds}${fraction.slice(0, 4)}${offset}`);
    if (Number.isNaN(at.getTime())) return this.fail(column, "is not an ISO-8601 timestamp");
    return { text: value as string, at, day: utcDay(at) };
  }

  optionalInstant(column: string): CdcInstant | null {
    return this.has(column) ? this.instant(column) : null;
  }

  /** A DATE column, sent as days since 1970-01-01 (or as YYYY-MM-DD); returned as YYYY-MM-DD. */
  day(column: string): string {
    const value = this.present(column);
    if (typeof value === "number" && Number.isInteger(value) && Math.abs(value) <= 2_932_896) {
      return dayFromEpochDays(value);
    }
    if (typeof value === "string" && isCalendarDate(value)) return value;
    return this.fail(column, "is not a date (days since 1970-01-01)");
  }

  optionalDay(column: string): string | null {
    return this.has(column) ? this.day(column) : null;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Reads a change event's value (already parsed from JSON). Accepts the flattened row, and also
 * the same row inside a {schema, payload} envelope in case the converter's schemas are switched on.
 */
export function readCdcChange(table: string, value: unknown): CdcChange {
  let columns = value;
  if (isRecord(columns) && isRecord(columns.payload) && "schema" in columns) columns = columns.payload;
  if (!isRecord(columns)) throw new NonRetryableError(`${table}: the change event is not a JSON object`);

  const op = columns.__op ?? "u";
  if (op !== "c" && op !== "u" && op !== "d" && op !== "r") {
    throw new NonRetryableError(`${table}.__op is not one of c, u, d, r`);
  }
  const deletedFlag = columns.__deleted;
  let deleted: boolean;
  if (deletedFlag === undefined || deletedFlag === null) deleted = op === "d";
  else if (deletedFlag === "true" || deletedFlag === true) deleted = true;
  else if (deletedFlag === "false" || deletedFlag === false) deleted = false;
  else throw new NonRetryableError(`${table}.__deleted is not "true" or "false"`);

  const lsn = columns.__lsn;
  if (typeof lsn !== "number" || !Number.isSafeInteger(lsn) || lsn < 0) {
    throw new NonRetryableError(`${table}.__lsn is missing or not a non-negative integer`);
  }
  const sourceTsMs = columns.__source_ts_ms;
  const sourceTs =
    typeof sourceTsMs === "number" && Number.isSafeInteger(sourceTsMs) ? new Date(sourceTsMs) : undefined;

  return {
    table,
    op,
    deleted: deleted || op === "d",
    lsn: BigInt(lsn),
    sourceTs,
    row: new CdcRow(table, columns),
  };
}
