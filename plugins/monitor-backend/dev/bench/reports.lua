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

-- With BENCH_DELAY_MS, each connection waits that long after each answer:
-- a fixed rate of about connections * 1000 / BENCH_DELAY_MS a second.
local pause = tonumber(os.getenv("BENCH_DELAY_MS") or "")
if pause then
  delay = function()
    return pause
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
