// Balances, recent transactions and transfers, fulfilled by the Account and Transaction services
// as the user. A transfer is never executed here at once: it is proposed, and only the user's yes
// in the same conversation executes it (dialog/dialog.ts), with the idempotency key of the turn
// that proposed it.
import { timestampDate } from "@bufbuild/protobuf/wkt";
import {
  TransactionStatus,
  TransactionType,
  type Transaction,
} from "../../../gen/ts/fidalex/transaction/v1/transaction_pb.js";
import { money } from "../../runtime/money.js";
import type { PendingAction } from "../dialog/session-store.js";
import { accountLabel, accountsAskedAbout, ownAccount, sourceAccount } from "./account-resolution.js";
import { asCaller, isUnreachable, type BankAccess, type Caller } from "./banking-clients.js";
import type { CustomerAccount, CustomerContext } from "./customer-context.js";
import {
  failedExecution,
  proposal,
  say,
  unreachable,
  unresolved,
  type ActionWords,
  type Execution,
  type Fulfil,
} from "./outcome.js";

/** The Account and Transaction fulfilments. */
export interface AccountFulfilment {
  balance: Fulfil;
  transactions: Fulfil;
  proposeTransfer: Fulfil;
  /** Executes a confirmed transfer; `retry` when its outcome is unknown and "yes" may try again. */
  executeTransfer(caller: Caller, action: PendingAction): Promise<Execution>;
}

const transactionWords: Record<TransactionType, string> = {
  [TransactionType.UNSPECIFIED]: "transaction",
  [TransactionType.DEPOSIT]: "deposit",
  [TransactionType.WITHDRAWAL]: "withdrawal",
  [TransactionType.TRANSFER]: "transfer",
  [TransactionType.FEE]: "fee",
  [TransactionType.REVERSAL]: "reversal",
};

const defaultCount = 5;
const maxCount = 20;

// How replies name a transfer, and why the Transaction service refused one.
const transferWords: ActionWords = {
  noun: "transfer",
  service: "the transfer service",
  done: "sent",
  refusals: {
    INSUFFICIENT_FUNDS: "your account doesn't have enough money for it",
    ACCOUNT_NOT_ACTIVE: "one of the accounts isn't active",
    CURRENCY_MISMATCH: "the two accounts hold different currencies",
    DAILY_LIMIT_EXCEEDED: "it would go over your account's daily limit",
    NotFound: "I couldn't find the account to send to",
    PermissionDenied: "I couldn't find the account to send to",
  },
};

/** Creates the fulfilments over the caller-forwarding clients. */
export function createAccountFulfilment(bank: BankAccess): AccountFulfilment {
  const { clients } = bank;

  const balanceOf = async (caller: Caller, account: CustomerAccount) => {
    const { accountBalance } = await clients.accounts.getAccountBalance(
      { accountId: BigInt(account.accountId) },
      asCaller(caller, bank),
    );
    return accountBalance!;
  };

  // How a transaction reads in a list for one of the customer's accounts. In a list of several
  // accounts, a transfer between two of them is one line without a sign.
  const transactionLine = (
    transaction: Transaction,
    listed: CustomerAccount,
    context: CustomerContext,
    several: boolean,
  ) => {
    const day = transaction.createdAt ? timestampDate(transaction.createdAt).toISOString().slice(0, 10) : "";
    const between = [transaction.accountId, transaction.relatedAccountId].map((id) =>
      context.accounts.find((a) => a.accountId === String(id)),
    );
    if (several && transaction.transactionType === TransactionType.TRANSFER && between[0] && between[1]) {
      return `- ${day} transfer from your ${accountLabel(between[0])} to your ${accountLabel(between[1])}: ${transaction.amount} ${transaction.currency}`;
    }
    const incoming =
      transaction.transactionType === TransactionType.DEPOSIT ||
      (transaction.transactionType === TransactionType.TRANSFER &&
        String(transaction.relatedAccountId) === listed.accountId);
    const other =
      transaction.transactionType !== TransactionType.TRANSFER
        ? ""
        : incoming
          ? ` from ${nameOf(String(transaction.accountId), context)}`
          : ` to ${nameOf(String(transaction.relatedAccountId), context)}`;
    const sign = transaction.transactionType === TransactionType.REVERSAL ? "" : incoming ? "+" : "-";
    const state =
      transaction.status === TransactionStatus.SUCCESS
        ? ""
        : ` (${TransactionStatus[transaction.status]!.toLowerCase()})`;
    return `- ${day} ${transactionWords[transaction.transactionType]}${other}: ${sign}${transaction.amount} ${transaction.currency}${state}`;
  };

  return {
    async balance(request, context) {
      const asked = accountsAskedAbout(context, request.entities);
      if ("problem" in asked) return unresolved(asked.problem);
      try {
        const balances = await Promise.all(asked.accounts.map((a) => balanceOf(request.caller, a)));
        if (asked.accounts.length === 1) {
          const [account, balance] = [asked.accounts[0]!, balances[0]!];
          return {
            kind: "answer",
            values: {
              account_type: account.accountType,
              account_number: account.accountNumber,
              balance: balance.balance,
              available_balance: balance.availableBalance,
              currency: balance.currency,
            },
          };
        }
        const lines = asked.accounts.map(
          (a, i) =>
            `- ${accountLabel(a)}: ${balances[i]!.balance} ${balances[i]!.currency} (${balances[i]!.availableBalance} available)`,
        );
        return { kind: "answer", values: { balances: lines.join("\n") } };
      } catch (error) {
        if (isUnreachable(error)) return unreachable("your balances", "account");
        throw error;
      }
    },

    async transactions(request, context) {
      const asked = accountsAskedAbout(context, request.entities);
      if ("problem" in asked) return unresolved(asked.problem);
      const count = Math.min(Number(request.entities.count ?? defaultCount) || defaultCount, maxCount);
      const { date_from: dateFrom = "", date_to: dateTo = "" } = request.entities;
      try {
        const pages = await Promise.all(
          asked.accounts.map((account) =>
            clients.transactions.listAccountTransactions(
              { accountId: BigInt(account.accountId), pageSize: count, dateFrom, dateTo },
              asCaller(request.caller, bank),
            ),
          ),
        );
        // A transfer between two of the listed accounts appears in both pages: once is enough.
        const seen = new Set<bigint>();
        const rows = pages
          .flatMap((page, i) => page.transactions.map((t) => ({ t, account: asked.accounts[i]! })))
          .filter(({ t }) => !seen.has(t.transactionId) && seen.add(t.transactionId))
          .sort((a, b) => createdAt(b.t) - createdAt(a.t))
          .slice(0, count);
        const single = asked.accounts.length === 1 ? asked.accounts[0] : undefined;
        if (rows.length === 0) {
          const where = single ? ` on your ${accountLabel(single)}` : "";
          const when = dateFrom ? ` between ${dateFrom} and ${dateTo}` : "";
          return say(`I found no transactions${where}${when}.`);
        }
        return {
          kind: "answer",
          values: {
            transactions: rows
              .map(({ t, account }) => transactionLine(t, account, context, !single))
              .join("\n"),
            ...(single ? { account_type: single.accountType, account_number: single.accountNumber } : {}),
            ...(dateFrom ? { date_from: dateFrom, date_to: dateTo } : {}),
          },
        };
      } catch (error) {
        if (isUnreachable(error)) return unreachable("your transactions", "transaction");
        throw error;
      }
    },

    async proposeTransfer(request, context) {
      const { entities } = request;
      const question = !entities.amount
        ? entities.to_account
          ? "How much would you like to transfer?"
          : "Sure. How much would you like to transfer, and to which account?"
        : !entities.to_account
          ? 'Which account should the money go to? For example "to my savings" or "to account 1234".'
          : undefined;
      if (question) {
        return {
          kind: "ask",
          text: question,
          awaiting: { intent: request.intent, entities: { ...entities } },
        };
      }
      const source = sourceAccount(context, entities);
      if ("problem" in source) return unresolved(source.problem);
      const from = source.account;
      const target = destinationOf(context, entities, from);
      if ("problem" in target) return unresolved(target.problem);
      const currency = entities.currency ?? from.currency;
      if (currency !== from.currency) {
        return say(
          `Your ${accountLabel(from)} holds ${from.currency}, so I can only send ${from.currency} from it.`,
        );
      }
      if (money(entities.amount!).lte(0)) return say("The amount must be more than zero.");
      return proposal(
        request,
        bank.confirmWindowSeconds,
        {
          kind: "TRANSFER",
          amount: entities.amount!,
          currency,
          fromAccountId: from.accountId,
          toAccountId: target.accountId,
          fromLabel: accountLabel(from),
          toLabel: target.label,
        },
        `You're about to transfer ${entities.amount} ${currency} from your ${accountLabel(from)} to ${target.label}.`,
      );
    },

    async executeTransfer(caller, action) {
      const record = { action: "TRANSFER", idempotency_key: action.idempotencyKey };
      let transaction: Transaction | undefined;
      try {
        ({ transaction } = await clients.transactions.transfer(
          {
            fromAccountId: BigInt(action.fromAccountId),
            toAccountId: BigInt(action.toAccountId!),
            amount: action.amount,
            currency: action.currency,
            description: "Transfer made in the chat",
            idempotencyKey: action.idempotencyKey,
          },
          asCaller(caller, bank),
        ));
      } catch (error) {
        return failedExecution(error, transferWords, record);
      }
      const done = {
        ...record,
        transaction_id: String(transaction!.transactionId),
        status: TransactionStatus[transaction!.status],
      };
      if (transaction!.status !== TransactionStatus.SUCCESS) {
        return {
          retry: false,
          outcome: say(
            `Your transfer of ${action.amount} ${action.currency} is being processed (transaction ${transaction!.transactionId}). ` +
              "It will show in your transactions once it completes.",
            done,
          ),
        };
      }
      const balance = await clients.accounts
        .getAccountBalance({ accountId: BigInt(action.fromAccountId) }, asCaller(caller, bank))
        .then((r) => r.accountBalance?.balance)
        .catch(() => undefined);
      const values: Record<string, string> = {
        amount: action.amount,
        currency: action.currency,
        from_account: action.fromLabel,
        to_account: action.toLabel,
        transaction_id: String(transaction!.transactionId),
      };
      if (balance !== undefined) values.balance = balance;
      return {
        retry: false,
        outcome:
          balance !== undefined
            ? { kind: "answer", values, record: done }
            : say(
                `Done: ${action.amount} ${action.currency} went from your ${action.fromLabel} to ${action.toLabel}.`,
                done,
              ),
      };
    },
  };
}

/** Where a transfer goes: another own account (by type, number or id) or any account by id. */
function destinationOf(
  context: CustomerContext,
  entities: Readonly<Record<string, string>>,
  from: CustomerAccount,
): { accountId: string; label: string } | { problem: string } {
  const to = entities.to_account!;
  if (entities.to_account_kind === "own_account") {
    const account = context.accounts.find(
      (a) => a.active && a.accountType === to && a.accountId !== from.accountId,
    );
    return account
      ? { accountId: account.accountId, label: `your ${accountLabel(account)}` }
      : { problem: `You don't have another active ${to} account to send to.` };
  }
  if (entities.to_account_kind === "account_number") {
    const own = ownAccount(context, to);
    if (own) {
      return own.accountId === from.accountId
        ? { problem: "That's the account the money would come from; please name another one." }
        : { accountId: own.accountId, label: `your ${accountLabel(own)}` };
    }
    // Someone else's account by its id: the Transaction service checks that it exists.
    if (/^\d+$/.test(to)) return { accountId: to, label: `account ${to}` };
    return {
      problem: `I can only send to an account number of yours; for another customer's account, give me its account id.`,
    };
  }
  return {
    problem:
      `I can't send money to ${to} by name. Tell me the account to send to, ` +
      `e.g. "send 20 to my savings" or "send 20 to account 1234".`,
  };
}

function nameOf(accountId: string, context: CustomerContext): string {
  const own = context.accounts.find((a) => a.accountId === accountId);
  return own ? `your ${accountLabel(own)}` : `account ${accountId}`;
}

function createdAt(transaction: Transaction): number {
  return transaction.createdAt ? timestampDate(transaction.createdAt).getTime() : 0;
}
