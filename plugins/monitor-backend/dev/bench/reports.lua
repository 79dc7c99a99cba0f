-- wrk's script for the ingest benchmark (dev/bench/wrk.ts): reports shaped
-- like the original snippet's curl test (job key, title, outcome, finish
-- time, message), over 50 job keys, one in nine an error. At the
-- end it prints its counts and its latency histogram as one line of JSON
-- (reads.lua does the same).
local keys = 50
local prefix = "bench-job"
local path = os.getenv("BENCH_PATH") or "/api/monitor/job-report"
local headers = {
  ["Content-Type"] = "application/json",
  ["X-TC-Portal-Webhook-Secret"] = os.getenv("BENCH_SECRET") or "",
}
local sequence = 0

-- With BENCH_RATE, reports go out on a fixed schedule of that many a
-- second, however long the answers take: each waits for its slot, 1000 /
-- BENCH_RATE ms after the one before; a slot already past is taken at once
-- (a connection whose answer came late catches up). Without it, each
-- connection sends again as soon as it is answered.
local rate = tonumber(os.getenv("BENCH_RATE") or "")
if rate then
  local ffi = require("ffi")
  ffi.cdef([[
    typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
    int clock_gettime(int clock, bench_timespec *time);
  ]])
  local CLOCK_MONOTONIC = 1
  local time = ffi.new("bench_timespec")
  local function now_ms()
    ffi.C.clock_gettime(CLOCK_MONOTONIC, time)
    return tonumber(time.tv_sec) * 1000 + tonumber(time.tv_nsec) / 1e6
  end
  local interval = 1000 / rate
  local next_slot = nil
  delay = function()
    local now = now_ms()
    local slot = next_slot or now
    next_slot = slot + interval
    -- wrk waits whole milliseconds.
    return math.max(0, math.floor(slot - now + 0.5))
  end
end

request = function()
  sequence = sequence + 1
  local key = string.format("%s-%03d", prefix, sequence % keys)
  local failed = sequence % 9 == 0
  local body = string.format(
    '{"job_key":"%s","title":"ベンチマーク %s","status":"%s","finished_at":"%s","message":"%s"}',
    key,
    key,
    failed and "error" or "success",
    os.date("!%Y-%m-%dT%H:%M:%SZ"),
    failed and "価格フィードが空です" or "処理完了"
  )
  return wrk.format("POST", path, headers, body)
end

dofile(os.getenv("BENCH_LUA_DIR") .. "/result.lua")
