// Entities of a banking message: amounts with their currency, account types, the counterparty of a
// transfer, references to accounts by number or id, loan ids, counts ("the last 10") and relative
// dates or date ranges (chrono-node, always against an explicit reference date). An amount is
// parsed from the text into a decimal string with two fraction digits, never through a float, and
// an ambiguous amount ("5.999") is left out so that the bot asks instead of guessing.
import * as chrono from "chrono-node";

export type AccountType = "checking" | "savings";

export interface MoneyEntity {
  text: string;
  /** Decimal string with two fraction digits, e.g. "1250.00". */
  amount: string;
  /** ISO 4217 code, or null when the text gives no currency ("send 40 to savings"). */
  currency: string | null;
}

export interface AccountEntity {
  text: string;
  type: AccountType;
  /** "from checking" => from, "to/into savings" => to, otherwise null. */
  role: "from" | "to" | null;
}

export interface CounterpartyEntity {
  text: string;
  kind: "own_account" | "person" | "account_number" | "alias";
  /** "savings" | "John" | "12345678" | "sister" */
  value: string;
}

export interface AccountReference {
  text: string;
  /** "FB-00000042" for an account number, or the decimal account id. */
  value: string;
  role: "from" | "to" | null;
}

export interface DateEntity {
  text: string;
  /** Inclusive ISO dates (YYYY-MM-DD) in the reference time zone. */
  start: string;
  end: string;
  granularity: "day" | "week" | "month" | "year" | "range";
}

export interface Entities {
  amounts: MoneyEntity[];
  /** Accounts named by number ("FB-00000042") or id ("account 42"), with their role. */
  accountReferences: AccountReference[];
  accounts: AccountEntity[];
  counterparty: CounterpartyEntity | null;
  dates: DateEntity[];
}

export interface ExtractOptions {
  /** "Now" for relative dates. Required: never read the clock inside the parser. */
  referenceDate: Date;
  /** Reference time zone for chrono: offset in minutes (e.g. 60) or an abbreviation ("UTC", "CET"). Default "UTC". */
  timezone?: string | number;
  /**
   * How to resolve dates that name no direction ("on Friday", "in March"): 'past' for transaction
   * history (default), 'future' for scheduled payments, 'nearest' = chrono's own choice.
   */
  direction?: "past" | "future" | "nearest";
}

// ---------------------------------------------------------------- money ---------------------------------------
const SYMBOLS: Record<string, string> = {
  $: "USD",
  US$: "USD",
  "€": "EUR",
  "£": "GBP",
  "¥": "JPY",
  "₹": "INR",
  CHF: "CHF",
};
const CODES = ["USD", "EUR", "GBP", "JPY", "CHF", "CAD", "AUD", "INR", "SEK", "NOK", "DKK", "PLN"];
const WORDS: Array<[RegExp, string]> = [
  [/^(?:us\s+)?dollars?$|^bucks?$|^usd$/i, "USD"],
  [/^euros?$/i, "EUR"],
  [/^(?:pounds?|quid)(?:\s+sterling)?$/i, "GBP"],
  [/^yen$/i, "JPY"],
  [/^rupees?$/i, "INR"],
  [/^francs?$/i, "CHF"],
];
const NUM = String.raw`\d{1,3}(?:[.,\u00a0 ]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?|[.,]\d{1,2}`;
const SYM = String.raw`US\$|[$€£¥₹]`;
const CODE = CODES.join("|");
const WORD = String.raw`(?:us\s+)?dollars?|bucks?|euros?|(?:pounds?|quid)(?:\s+sterling)?|yen|rupees?|francs?`;
const MONEY_RE = new RegExp(
  String.raw`(?<![\w.,])(?:` +
    String.raw`(?<sym1>${SYM})\s?(?<n1>${NUM})` + // $50, € 20.5
    String.raw`|(?<code1>${CODE})\s?(?<n2>${NUM})` + // USD 50
    String.raw`|(?<n3>${NUM})\s?(?:(?<sym2>${SYM})|(?<code2>${CODE})\b|(?<word>${WORD})\b)` + // 20€, 1,250.00 usd, 50 dollars
    String.raw`)(?![\w]|[.,]\d)`,
  "giu",
);
// Bare numbers count as money only right after a money verb: "send 40 to savings", "put 1000 toward the loan".
const BARE_RE = new RegExp(
  String.raw`\b(?:send|transfer|pay|move|put|deposit|withdraw|repay|wire|give)\b(?:\s+(?:back|another|just|only|over|in))?\s+(?<n>${NUM})(?![\w%]|[.,/:]\d|\s*(?:%|(?:percent|days?|weeks?|months?|years?|times?|am|pm|o'clock)\b))`,
  "giu",
);

/**
 * Parses a money number written with "," or "." separators into "D+.DD" without floating point.
 * Rules: the decimal separator is the last separator when followed by 1–2 digits; a separator
 * followed by exactly 3 digits is a thousands separator ("1,250" = 1250, "1.250,00" = 1250, "20,5" = 20.50).
 * A lone "." followed by exactly 3 digits ("5.999", "1.250") is ambiguous in English (typo for
 * 5.99? German 1250?) and returns null, so the bot asks instead of guessing. So does >2 fraction digits.
 */
export function parseMoneyNumber(raw: string): string | null {
  const s = raw.replace(/[\u00a0 ]/g, ","); // "1 250,75": a space groups thousands
  if (/^\d+\.\d{3}$/.test(s)) return null;
  const m = /^(?<int>\d*(?:[.,]\d{3})*)(?:[.,](?<frac>\d{1,2}))?$/.exec(s);
  if (!m?.groups) return null;
  const intDigits = (m.groups["int"] ?? "").replace(/[.,]/g, "");
  const frac = m.groups["frac"] ?? "";
  if (intDigits === "" && frac === "") return null;
  if (!/^\d*$/.test(intDigits)) return null;
  const intPart = intDigits.replace(/^0+(?=\d)/, "") || "0";
  // The contract's amounts have at most 16 integer digits; a longer number is no amount.
  if (intPart.length > 16) return null;
  return `${intPart}.${frac.padEnd(2, "0")}`;
}

function currencyOf(sym?: string, code?: string, word?: string): string | null {
  if (sym) return SYMBOLS[sym.toUpperCase()] ?? SYMBOLS[sym] ?? null;
  if (code) return code.toUpperCase();
  if (word) {
    const w = word.replace(/\s+/g, " ").trim();
    for (const [re, c] of WORDS) if (re.test(w)) return c;
  }
  return null;
}

export function extractAmounts(text: string, masked: Array<[number, number]> = []): MoneyEntity[] {
  const out: Array<MoneyEntity & { at: number }> = [];
  const taken: Array<[number, number]> = [...masked];
  const overlaps = (a: number, b: number): boolean => taken.some(([x, y]) => a < y && x < b);
  for (const m of text.matchAll(MONEY_RE)) {
    const g = m.groups!;
    const n = g["n1"] ?? g["n2"] ?? g["n3"]!;
    const amount = parseMoneyNumber(n);
    const at = m.index;
    if (amount === null || overlaps(at, at + m[0].length)) continue;
    out.push({
      text: m[0],
      amount,
      currency: currencyOf(g["sym1"] ?? g["sym2"], g["code1"] ?? g["code2"], g["word"]),
      at,
    });
    taken.push([at, at + m[0].length]);
  }
  for (const m of text.matchAll(BARE_RE)) {
    const n = m.groups!["n"]!;
    const at = m.index + m[0].lastIndexOf(n);
    const amount = parseMoneyNumber(n);
    if (amount === null || overlaps(at, at + n.length)) continue;
    out.push({ text: n, amount, currency: null, at });
    taken.push([at, at + n.length]);
  }
  return out.sort((a, b) => a.at - b.at).map(({ at: _at, ...e }) => e);
}

// ---------------------------------------------------------------- accounts + counterparty ----------------------
const ACCOUNT_RE =
  /\b(?:(?<role>from|to|into|in|out of|towards?)\s+)?(?:(?:my|the|our)\s+)?(?<kind>checking|chequing|current|savings|saving(?=\s+acc))(?:\s+(?:account|acct)s?)?\b(?!\s+(?:score|rate|rates|balance\s+of))/giu;

export function extractAccounts(text: string): AccountEntity[] {
  const out: AccountEntity[] = [];
  for (const m of text.matchAll(ACCOUNT_RE)) {
    const kind = m.groups!["kind"]!.toLowerCase();
    // "current" only counts as an account when followed by "account" ("my current balance" is not one).
    if (kind === "current" && !/\b(?:account|acct)\b/i.test(m[0])) continue;
    const r = m.groups!["role"]?.toLowerCase();
    const role =
      r === "from" || r === "out of"
        ? "from"
        : r === "to" || r === "into" || r === "toward" || r === "towards"
          ? "to"
          : null;
    out.push({ text: m[0], type: kind.startsWith("saving") ? "savings" : "checking", role });
  }
  return out;
}

const ALIASES = new Set(
  "mom mum mother dad father sister brother wife husband partner son daughter friend roommate flatmate landlord landlady boss colleague neighbor neighbour girlfriend boyfriend aunt uncle cousin grandma grandpa babysitter".split(
    " ",
  ),
);
// Words that can follow "to"/"pay" but are not a person.
const NOT_NAMES = new Set(
  "the a an my your his her our their this that these those it me us them you him be do pay send see check make get go have know find cover buy show back off down up now later today tomorrow yesterday monday tuesday wednesday thursday friday saturday sunday january february march april may june july august september october november december account acct loan mortgage card bill bills rent savings saving checking chequing current another other someone somebody bank money cash funds some all everything half part and or for with from into on in at by of about what which when where how why".split(
    " ",
  ),
);

export function extractCounterparty(
  text: string,
  accounts: AccountEntity[] = extractAccounts(text),
): CounterpartyEntity | null {
  const own = accounts.find((a) => a.role === "to");
  if (own) return { text: own.text, kind: "own_account", value: own.type };
  const acct =
    /\bto\s+(?:(?:my|the|their|his|her)\s+)?(?:account|acct|iban)\s*(?:number|no\.?|#)?\s*(?:ending(?:\s+in)?\s+)?(?<num>[A-Z]{2}\d{2}[A-Z0-9]{8,30}|\d[\d -]{3,30}\d)/iu.exec(
      text,
    );
  if (acct)
    return { text: acct[0], kind: "account_number", value: acct.groups!["num"]!.replace(/[ -]/g, "") };
  const alias = /\b(?:to|pay|send|give)\s+(?:(?:my|our)\s+)(?<who>[a-z]+)(?:'s)?\b/iu.exec(text);
  if (alias && ALIASES.has(alias.groups!["who"]!.toLowerCase()))
    return { text: alias[0], kind: "alias", value: alias.groups!["who"]!.toLowerCase() };
  // "to John", "to Anna's account", "pay Sarah back", "send Tom 20"; names may be lower-case in chat.
  const NAME = String.raw`[\p{Lu}\p{Ll}][\p{Ll}'’-]+(?:\s+\p{Lu}[\p{Ll}'’-]+)?`;
  const person = new RegExp(String.raw`\b(?:to|pay|send|give|transfer)\s+(?<name>${NAME})`, "gu");
  const moneyVerb = /\b(?:send|transfer|pay|wire|give|move)\b/i.test(text);
  for (const m of text.matchAll(person)) {
    let name = m.groups!["name"]!.replace(/['’]s$/u, "");
    const first = name.split(/\s+/)[0]!.toLowerCase();
    if (NOT_NAMES.has(first) || ALIASES.has(first) || /^(?:dollars?|euros?|bucks?|pounds?)$/i.test(first))
      continue;
    // A lower-case word is taken for a name only in a sentence about moving money ("send 20 to john").
    if (!/^\p{Lu}/u.test(name) && !moneyVerb) continue;
    // Only keep a second word if it is capitalised (a surname), never "John back".
    name = name
      .split(/\s+/)
      .filter((w, i) => i === 0 || /^\p{Lu}/u.test(w))
      .join(" ");
    return { text: m[0], kind: "person", value: name.charAt(0).toUpperCase() + name.slice(1) };
  }
  return null;
}

// ---------------------------------------------------------------- dates ----------------------------------------
const pad = (n: number): string => String(n).padStart(2, "0");
const iso = (d: Date): string => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
const utc = (y: number, m: number, d: number): Date => new Date(Date.UTC(y, m - 1, d));
const addDays = (d: Date, n: number): Date => new Date(d.getTime() + n * 86_400_000);
const mondayOf = (d: Date): Date => addDays(d, -((d.getUTCDay() + 6) % 7));
const lastDayOfMonth = (y: number, m: number): Date => utc(y, m + 1, 0);

export function extractDates(text: string, opts: ExtractOptions): DateEntity[] {
  const direction = opts.direction ?? "past";
  const ref: chrono.ParsingReference = { instant: opts.referenceDate, timezone: opts.timezone ?? "UTC" };
  // "today" in the reference zone, from chrono itself so the time zone handling is identical.
  const todayC = chrono.parse("today", ref)[0]!.start;
  const today = utc(todayC.get("year")!, todayC.get("month")!, todayC.get("day")!);
  const out: DateEntity[] = [];
  const results = chrono.parse(text, ref, { forwardDate: direction === "future" });

  for (let i = 0; i < results.length; i++) {
    const r = results[i]!;
    if (/^(?:right\s+)?now$/i.test(r.text.trim())) continue; // "pay it now" carries no date
    const s = r.start;
    const lower = r.text.toLowerCase();
    const before = text.slice(0, r.index).toLowerCase();
    let day = utc(s.get("year")!, s.get("month")!, s.get("day")!);
    let entity: DateEntity;

    const week = /\b(this|last|past|previous|next|coming)\s+week\b/.exec(lower);
    const rolling =
      /\b(?:last|past|previous)\s+(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|few|couple of)\s+(?:days?|weeks?|months?)\b/.test(
        lower,
      );
    if (rolling) {
      entity = { text: r.text, start: iso(day), end: iso(today), granularity: "range" };
    } else if (week) {
      const off = week[1] === "this" ? 0 : week[1] === "next" || week[1] === "coming" ? 7 : -7;
      const mon = addDays(mondayOf(today), off);
      entity = { text: r.text, start: iso(mon), end: iso(addDays(mon, 6)), granularity: "week" };
    } else if (r.end) {
      const e = r.end;
      entity = {
        text: r.text,
        start: iso(day),
        end: iso(utc(e.get("year")!, e.get("month")!, e.get("day")!)),
        granularity: "range",
      };
    } else if (s.isCertain("day") || s.isCertain("weekday") || s.tags().has("parser/ENCasualDateParser")) {
      // A bare weekday ("on Friday") is resolved to the past for history questions.
      if (
        !s.isCertain("day") &&
        s.isCertain("weekday") &&
        !/\b(?:next|this|coming|last|past)\b/.test(lower)
      ) {
        if (direction === "past" && day > today) day = addDays(day, -7);
        if (direction === "future" && day < today) day = addDays(day, 7);
      }
      // A month + day without a year ("July 1st") likewise.
      if (s.isCertain("day") && s.isCertain("month") && !s.isCertain("year")) {
        const [y, m, d] = [s.get("year")!, s.get("month")!, s.get("day")!];
        if (direction === "past" && day > today) day = utc(y - 1, m, d);
        if (direction === "future" && day < today) day = utc(y + 1, m, d);
      }
      entity = { text: r.text, start: iso(day), end: iso(day), granularity: "day" };
    } else if (s.isCertain("month")) {
      let y = s.get("year")!;
      const m = s.get("month")!;
      if (!s.isCertain("year") && !/\b(?:next|this|last|past)\b/.test(lower)) {
        if (direction === "past" && utc(y, m, 1) > today) y -= 1;
        if (direction === "future" && lastDayOfMonth(y, m) < today) y += 1;
      }
      entity = {
        text: r.text,
        start: iso(utc(y, m, 1)),
        end: iso(lastDayOfMonth(y, m)),
        granularity: "month",
      };
    } else if (s.isCertain("year")) {
      const y = s.get("year")!;
      entity = { text: r.text, start: `${y}-01-01`, end: `${y}-12-31`, granularity: "year" };
    } else {
      continue; // time-only expressions ("at 5pm") carry no date
    }

    // "between June 1 and June 10": chrono returns two results joined by "and".
    const next = results[i + 1];
    if (
      /\bbetween\s+$/.test(before) &&
      next &&
      /^\s*and\s*$/i.test(text.slice(r.index + r.text.length, next.index))
    ) {
      const e = next.start;
      entity = {
        text: text.slice(r.index, next.index + next.text.length),
        start: entity.start,
        end: iso(utc(e.get("year")!, e.get("month")!, e.get("day")!)),
        granularity: "range",
      };
      i++;
    } else if (/\b(?:since|from|after)\s+$/.test(before) && !r.end) {
      // "since Monday" / "since January": open range up to today.
      entity = {
        ...entity,
        text: text.slice(before.search(/\b(?:since|from|after)\s+$/), r.index + r.text.length),
        end: iso(today),
        granularity: "range",
      };
    }
    out.push(entity);
  }
  // Bare ordinal days chrono ignores: "on the 1st", "for the 25th" (this month, or the adjacent one by direction).
  for (const m of text.matchAll(/\bthe\s+(\d{1,2})(?:st|nd|rd|th)\b(?!\s+of\b)/gi)) {
    if (out.some((d) => d.text.includes(m[0]))) continue;
    const d = Number(m[1]);
    let y = today.getUTCFullYear();
    let mo = today.getUTCMonth() + 1;
    if (direction === "past" && d > today.getUTCDate()) [y, mo] = mo === 1 ? [y - 1, 12] : [y, mo - 1];
    if (direction === "future" && d < today.getUTCDate()) [y, mo] = mo === 12 ? [y + 1, 1] : [y, mo + 1];
    if (d < 1 || d > lastDayOfMonth(y, mo).getUTCDate()) continue;
    const day = iso(utc(y, mo, d));
    out.push({ text: m[0], start: day, end: day, granularity: "day" });
  }
  // Bare years chrono ignores: "in 2024", "during 2023".
  for (const m of text.matchAll(/\b(?:in|during|for|of)\s+((?:19|20)\d{2})\b(?![/.-]\d)/gi)) {
    if (!out.some((d) => d.text.includes(m[1]!)))
      out.push({ text: m[0], start: `${m[1]}-01-01`, end: `${m[1]}-12-31`, granularity: "year" });
  }
  return out;
}

// ---------------------------------------------------------------- account references, loans, counts -----------
// This bank's account numbers ("FB-00000042") and account ids ("account 42", "account #42").
const ACCOUNT_REFERENCE_RE =
  /\b(?:(?<role>from|to|into|out of)\s+)?(?:(?:my|the)\s+)?(?:(?:account|acct)\s*(?:number|no\.?|id|#)?\s*(?<id>\d{1,19})\b|(?<number>FB-\d{1,12})\b)/giu;

export function extractAccountReferences(text: string): AccountReference[] {
  return [...text.matchAll(ACCOUNT_REFERENCE_RE)].map((m) => {
    const role = m.groups!["role"]?.toLowerCase();
    return {
      text: m[0],
      value: m.groups!["number"]?.toUpperCase() ?? m.groups!["id"]!.replace(/^0+(?=\d)/, ""),
      role: role === "from" || role === "out of" ? "from" : role ? "to" : null,
    };
  });
}

/** A loan named by its id: "loan 12", "loan #12". */
export function extractLoanId(text: string): string | null {
  return /\bloan\s*(?:number|no\.?|id|#)?\s*(\d{1,18})\b/iu.exec(text)?.[1] ?? null;
}

/** How many items a list question asks for: "the last 10 transactions", "my 3 latest payments". */
export function extractCount(text: string): number | null {
  const m =
    /\b(?:last|latest|recent|past|first|next|top)\s+(\d{1,3})\b(?!\s*(?:days?|weeks?|months?|years?)\b)/iu.exec(
      text,
    );
  return m ? Number(m[1]) : null;
}

// ---------------------------------------------------------------- all together ---------------------------------
export function extractEntities(text: string, opts: ExtractOptions): Entities {
  const dates = extractDates(text, opts);
  // Mask date spans and account references so "03/15/2025", "the 1st" or "account 42" is never
  // read as money.
  const accountReferences = extractAccountReferences(text);
  const masked: Array<[number, number]> = [];
  for (const span of [...dates, ...accountReferences]) {
    const at = text.indexOf(span.text);
    if (at >= 0) masked.push([at, at + span.text.length]);
  }
  const accounts = extractAccounts(text);
  return {
    amounts: extractAmounts(text, masked),
    accountReferences,
    accounts,
    counterparty: extractCounterparty(text, accounts),
    dates,
  };
}

/**
 * The slots of a message, named as the intents' required entities are, as the flat string map the
 * contract's NlpMetadata.entities carries: amount, currency, account_type (the account asked
 * about, or the source of a transfer), to_account with to_account_kind (own_account, person,
 * account_number, alias), from_account (the account asked about or the source, named by number or
 * id), date_from and date_to (inclusive), count and loan_id.
 */
export function toSlots(text: string, e: Entities): Record<string, string> {
  const slots: Record<string, string> = {};
  const money = e.amounts[0];
  if (money) {
    slots["amount"] = money.amount;
    if (money.currency) slots["currency"] = money.currency;
  }
  const src =
    e.accounts.find((a) => a.role === "from") ??
    e.accounts.find((a) => a.role === null) ??
    (e.counterparty ? undefined : e.accounts[0]);
  if (src) slots["account_type"] = src.type;
  // An account named without "to" is the one asked about, or the source of a transfer.
  const fromReference =
    e.accountReferences.find((r) => r.role === "from") ?? e.accountReferences.find((r) => r.role === null);
  if (fromReference) slots["from_account"] = fromReference.value;
  const toReference = e.accountReferences.find((r) => r.role === "to");
  if (toReference) {
    slots["to_account"] = toReference.value;
    slots["to_account_kind"] = "account_number";
  } else if (e.counterparty) {
    slots["to_account"] = e.counterparty.value;
    slots["to_account_kind"] = e.counterparty.kind;
  }
  const d = e.dates[0];
  if (d) {
    slots["date_from"] = d.start;
    slots["date_to"] = d.end;
  }
  const count = extractCount(text);
  if (count !== null) slots["count"] = String(count);
  const loanId = extractLoanId(text);
  if (loanId !== null) slots["loan_id"] = loanId;
  return slots;
}
