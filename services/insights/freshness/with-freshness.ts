// An analytics answer with its Freshness: read first, so that the as-of instant it reports is
// never newer than the data the answer then reads.
import type { Freshness } from "../../../gen/ts/fidalex/insights/v1/freshness_pb.js";
import type { AnswerSource } from "./freshness.js";
import type { WarehouseFreshness } from "./warehouse-freshness.js";

export async function withFreshness<Answer extends object>(
  freshness: WarehouseFreshness,
  source: AnswerSource,
  read: () => Promise<Answer>,
): Promise<Answer & { freshness: Freshness }> {
  const asOf = await freshness.answer(source);
  return { ...(await read()), freshness: asOf };
}
