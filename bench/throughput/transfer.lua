-- wrk request script: POST /transactions/transfer through Envoy's REST edge, between random pairs
-- of the benchmark's accounts (or from the first one only, when HOT=1), each with a unique
-- idempotency key. Configured by environment: BENCH_DIR, TOKEN, ACCOUNTS (common.lua), RUN, HOT.
dofile(os.getenv("BENCH_DIR") .. "/common.lua")
local run = os.getenv("RUN")
local hot = os.getenv("HOT") == "1"
local counter = 0

function request()
  counter = counter + 1
  local n = #accounts
  local from = hot and 1 or math.random(1, n)
  local to = 1 + (from + math.random(0, n - 2)) % n
  local body = string.format(
    '{"fromAccountId":"%s","toAccountId":"%s","amount":"%d.00","currency":"USD","idempotencyKey":"%s-%d-%d"}',
    accounts[from], accounts[to], math.random(1, 9), run, thread_id, counter)
  return wrk.format("POST", "/transactions/transfer",
    { ["authorization"] = "Bearer " .. token, ["content-type"] = "application/json" }, body)
end
