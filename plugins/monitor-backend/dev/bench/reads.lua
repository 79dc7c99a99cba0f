-- wrk's script for the read benchmarks (dev/bench/wrk.ts): GET BENCH_PATH,
-- with If-None-Match: BENCH_ETAG when it is set (a browser that holds the
-- answer), and the same result line as reports.lua.
local path = os.getenv("BENCH_PATH")
local headers = {}
local etag = os.getenv("BENCH_ETAG")
if etag and etag ~= "" then
  headers["If-None-Match"] = etag
end

request = function()
  return wrk.format("GET", path, headers)
end

dofile(os.getenv("BENCH_LUA_DIR") .. "/result.lua")
