-- wrk script of scripts/bench-web (method: docs/benchmarks.md).
--
-- Environment:
--   WRK_PATHS         file of request paths, one a line, taken in turn by
--                     each connection (GET); default: the URL's path
--   WRK_BODY          file sent as the body of every request (POST)
--   WRK_CONTENT_TYPE  its Content-Type
--   WRK_EXPECT        the status that counts as a success (200; 303 for the
--                     form, whose success is a redirection to the receipt)
--   WRK_COOKIE        Cookie header (the signed-in session)
-- Prints one line at the end:
--   RESULT requests=N seconds=S rps=R p50_ms=.. p90_ms=.. p99_ms=.. max_ms=..
--          ok=N other=N errors=N
-- where ok counts the responses with the expected status, other the rest
-- (wrk's own "errors" are connection errors, read/write failures and
-- timeouts).

local expect = tonumber(os.getenv("WRK_EXPECT") or "200")
local paths = {}
local threads = {}

local function read_file(name)
  local f = assert(io.open(name, "rb"))
  local s = f:read("*a")
  f:close()
  return s
end

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

function init(args)
  ok, other = 0, 0
  local list = os.getenv("WRK_PATHS")
  if list and list ~= "" then
    for line in io.lines(list) do
      if line ~= "" then table.insert(paths, line) end
    end
  end
  -- Each thread starts at a different place in the list.
  next_path = ((id or 1) - 1) * 7919
  local cookie = os.getenv("WRK_COOKIE")
  if cookie and cookie ~= "" then wrk.headers["Cookie"] = cookie end
  local body = os.getenv("WRK_BODY")
  if body and body ~= "" then
    wrk.method = "POST"
    wrk.body = read_file(body)
    wrk.headers["Content-Type"] = os.getenv("WRK_CONTENT_TYPE")
  end
end

function request()
  if #paths == 0 then return wrk.format() end
  next_path = next_path % #paths + 1
  return wrk.format(nil, paths[next_path])
end

function response(status, headers, body)
  if status == expect then ok = ok + 1 else other = other + 1 end
end

function done(summary, latency, requests)
  local n_ok, n_other = 0, 0
  for _, t in ipairs(threads) do
    n_ok = n_ok + t:get("ok")
    n_other = n_other + t:get("other")
  end
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "RESULT requests=%d seconds=%.2f rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f " ..
    "max_ms=%.2f ok=%d other=%d errors=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, n_ok, n_other,
    e.connect + e.read + e.write + e.timeout))
end
