// Replies from an intent's response templates. A template names the values it needs in braces,
// e.g. "Your {account_type} account balance is {balance} {currency}."; the bot uses only templates
// whose every value it has, prefers those that use the most of them (a greeting with the
// customer's name over one without), and rotates among equals by turn, so replies vary without
// being random. Values are inserted in one pass: a value that contains braces (a payee's name, a
// user's words) is never expanded again.

const placeholder = /\{([a-z_][a-z0-9_]*)\}/g;

/** The value names a template uses. */
export function placeholdersOf(template: string): string[] {
  return [...new Set([...template.matchAll(placeholder)].map((m) => m[1]!))];
}

/** Fills a template's placeholders with the values (a missing value stays as written). */
export function fillTemplate(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(placeholder, (whole, name: string) => values[name] ?? whole);
}

/**
 * The reply from the templates the values can fill, or undefined when none can. `turn` picks
 * among the templates that use the most values.
 */
export function renderReply(
  templates: readonly string[],
  values: Readonly<Record<string, string>>,
  turn: number,
): string | undefined {
  const usable = templates
    .map((template) => ({ template, uses: placeholdersOf(template) }))
    .filter(({ uses }) => uses.every((name) => values[name] !== undefined));
  if (usable.length === 0) return undefined;
  const most = Math.max(...usable.map(({ uses }) => uses.length));
  const best = usable.filter(({ uses }) => uses.length === most);
  return fillTemplate(best[turn % best.length]!.template, values);
}
