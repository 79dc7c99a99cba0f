-- wrk's script for the ingest benchmark (dev/bench/wrk.ts): reports shaped
-- like the original snippet's curl test (job key, title, outcome, finish
-- time, message), over 50 job keys, one in nine an error. At the
-- end it prints its counts and its latency histogram as one line of JSON.
local keys = 50
local prefix = "bench-job"
local path = os.getenv("BENCH_PATH") or "/api/monitor/job-report"
local headers = {
  ["Content-Type"] = "application/json",
  ["X-TC-Portal-Webhook-Secret"] = os.getenv("BENCH_SECRET") or "",
}
local sequence = 0

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

done = function(summary, latency, requests)
  local bins = {}
  for i = 1, #latency do
    local value, count = latency(i)
    if count > 0 then
      bins[#bins + 1] = string.format("[%d,%d]", value, count)
    end
  end
  local e = summary.errors
  io.write(string.format(
    '\nBENCH_RESULT {"requests":%d,"durationUs":%d,"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},"latencyUs":[%s]}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    table.concat(bins, ",")))
end
