-- wrk request script: GET /accounts/{id}/balance through Envoy's REST edge over the benchmark's
-- accounts at random. Configured by environment: BENCH_DIR, TOKEN, ACCOUNTS (common.lua).
dofile(os.getenv("BENCH_DIR") .. "/common.lua")

function request()
  return wrk.format("GET", "/accounts/" .. accounts[math.random(1, #accounts)] .. "/balance",
    { ["authorization"] = "Bearer " .. token })
end
