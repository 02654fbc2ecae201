-- What every wrk request script of the benchmark shares: the benchmark's accounts and access
-- token from the environment (ACCOUNTS: comma-separated ids, TOKEN), a per-thread random seed and
-- thread id, and the JSON summary line the benchmark reads at the end (requests, seconds, p50 and
-- p99 in ms, errors including non-2xx answers). Loaded with dofile(BENCH_DIR .. "/common.lua").
token = os.getenv("TOKEN")
accounts = {}
for id in string.gmatch(os.getenv("ACCOUNTS"), "[^,]+") do accounts[#accounts + 1] = id end
thread_id = 0
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("thread_id", threads)
end

function init(args)
  math.randomseed(os.time() * 1000 + thread_id)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('JSON {"requests":%d,"seconds":%.3f,"p50":%.3f,"p99":%.3f,"errors":%d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    e.connect + e.read + e.write + e.status + e.timeout))
end
