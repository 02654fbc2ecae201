// Large fundings in test and benchmark setups: a cash deposit above the bank's approval threshold
// waits for a second staff member (four eyes, services/runtime/approvals.ts). This makes one teller
// for the run, on first need, and has it approve what the maker's deposits leave pending.
import { createClient, type Client } from "@connectrpc/connect";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { AuthService } from "../../gen/ts/fidalex/auth/v1/auth_service_pb.js";
import { Role } from "../../gen/ts/fidalex/auth/v1/user_pb.js";
import type { Transaction } from "../../gen/ts/fidalex/transaction/v1/transaction_pb.js";
import {
  TransactionService,
  type DepositRequestSchema,
} from "../../gen/ts/fidalex/transaction/v1/transaction_service_pb.js";
import { callerTransport } from "./service-harness.js";
import { stackVar } from "./stack.js";

/** A deposit by `maker` that a second staff member approves when it needs one; its transaction. */
export type FourEyesDeposit = (
  maker: Client<typeof TransactionService>,
  request: MessageInitShape<typeof DepositRequestSchema>,
) => Promise<Transaction>;

/** Creates the deposit over the stack's Auth and Transaction services; `adminBearer` assigns the role. */
export function createFourEyesDeposit(options: {
  auth: Client<typeof AuthService>;
  adminBearer: () => string | Promise<string>;
  run: string;
}): FourEyesDeposit {
  const { auth, run } = options;
  const checker = { username: `checker_${run}`, password: `Checker-${run}-Four-Eyes-9` };
  let ready: Promise<unknown> | undefined;
  return async (maker, request) => {
    const { transaction, approval } = await maker.deposit(request);
    if (!approval) return transaction!;
    ready ??= (async () => {
      const { user } = await auth.register({
        ...checker,
        email: `checker.${run}@example.com`,
        fullName: "Four Eyes",
        phoneNumber: "",
      });
      await auth.assignRole(
        { userId: user!.userId, role: Role.TELLER },
        { headers: { authorization: await options.adminBearer() } },
      );
    })();
    await ready;
    const { tokens } = await auth.login(checker);
    const approver = createClient(
      TransactionService,
      callerTransport(stackVar("TRANSACTION_URL"), `Bearer ${tokens!.accessToken}`),
    );
    return (await approver.approveCashMovement({ approvalId: approval.approvalId })).transaction!;
  };
}
