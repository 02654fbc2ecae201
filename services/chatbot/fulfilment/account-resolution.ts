// Which of the customer's accounts a message means: one named by number ("FB-00000042") or id
// ("account 42"), one of a type ("my savings"), or by default the first active checking account.
// Only the customer's own accounts (from their context) are ever chosen as a source or as the
// account asked about, so the bot never asks the bank about anyone else's account.
import type { CustomerAccount, CustomerContext } from "./customer-context.js";

/** How replies name an account: "checking account FB-00000012". */
export function accountLabel(account: CustomerAccount): string {
  return `${account.accountType} account ${account.accountNumber}`;
}

/** The customer's account with this number or id. */
export function ownAccount(context: CustomerContext, reference: string): CustomerAccount | undefined {
  const wanted = reference.toUpperCase();
  return context.accounts.find((a) => a.accountNumber.toUpperCase() === wanted || a.accountId === reference);
}

/** The checking and savings accounts, where balances and history live. */
export function depositAccounts(context: CustomerContext): CustomerAccount[] {
  return context.accounts.filter((a) => a.accountType === "checking" || a.accountType === "savings");
}

/** The account a message asks about, all deposit accounts when it names none, or the problem. */
export function accountsAskedAbout(
  context: CustomerContext,
  entities: Readonly<Record<string, string>>,
): { accounts: CustomerAccount[] } | { problem: string } {
  if (entities.from_account) {
    const account = ownAccount(context, entities.from_account);
    return account ? { accounts: [account] } : { problem: notYours(entities.from_account) };
  }
  if (entities.account_type) {
    const ofType = context.accounts.filter((a) => a.accountType === entities.account_type);
    return ofType.length > 0
      ? { accounts: ofType }
      : { problem: `You don't have a ${entities.account_type} account with us.` };
  }
  const accounts = depositAccounts(context);
  return accounts.length > 0 ? { accounts } : { problem: "You don't have any accounts with us yet." };
}

/** The active account money leaves from: named, of the named type, or the first checking account. */
export function sourceAccount(
  context: CustomerContext,
  entities: Readonly<Record<string, string>>,
): { account: CustomerAccount } | { problem: string } {
  const active = context.accounts.filter((a) => a.active);
  if (entities.from_account) {
    const account = ownAccount(context, entities.from_account);
    if (!account) return { problem: notYours(entities.from_account) };
    return account.active ? { account } : { problem: `Your ${accountLabel(account)} isn't active.` };
  }
  const type = entities.account_type ?? "checking";
  const account =
    active.find((a) => a.accountType === type) ??
    (entities.account_type ? undefined : depositAccounts(context).find((a) => a.active));
  return account
    ? { account }
    : {
        problem: `You don't have an active ${entities.account_type ?? "checking or savings"} account to pay from.`,
      };
}

/** The refusal for an account the customer does not own, worded the same whether or not it exists. */
export function notYours(reference: string): string {
  return `I can't find ${/^FB-/i.test(reference) ? reference : `account ${reference}`} among your accounts.`;
}
