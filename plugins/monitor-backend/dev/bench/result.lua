-- The result line both wrk scripts (reports.lua, reads.lua) print at the
-- end: their counts and latency histogram as one line of JSON, which
-- dev/bench/wrk.ts reads.
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
