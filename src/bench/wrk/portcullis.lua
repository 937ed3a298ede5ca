-- wrk script of the Portcullis load benchmark (dev.portcullis.bench.LoadBenchmark runs it).
--
--   wrk -t2 -c32 -d10s -s portcullis.lua http://127.0.0.1:PORT/health/live -- MODE FILE [HEADER PREFIX]
--
-- MODE header  : GET with "HEADER: PREFIX<value>", the values taken in turn from FILE (one per
--                line), each thread starting at its own offset: thousands of distinct credentials.
--                HEADER X-Bench-Padding sends the same bytes without a credential (the ceiling).
-- MODE login   : POST {"username":..,"password":..} from FILE lines "username<TAB>password".
-- MODE refresh : POST {"refresh_token":..} (third argument: the thread count); each thread owns
--                a slice of FILE's tokens and puts the rotated token from every 200 answer back
--                in its pool, so no token is ever presented twice (a reuse would revoke its
--                family).
-- MODE plain   : GET the URL as it is.
-- At the end one line "BENCH key=value ..." with totals, latency percentiles (µs) and, for login
-- and refresh, the count of each status code.

local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function count(status)
  statuses[status] = (statuses[status] or 0) + 1
end

local function read_lines(file)
  local lines = {}
  for line in io.lines(file) do
    if line ~= "" then lines[#lines + 1] = line end
  end
  return lines
end

function init(args)
  mode = args[1]
  statuses = {}
  if mode == "plain" then return end
  local lines = read_lines(args[2])
  if mode == "header" then
    values, name, prefix = lines, args[3], args[4] or ""
    index = ((id - 1) * 7919) % #values
  elseif mode == "login" then
    bodies = {}
    for i, line in ipairs(lines) do
      local user, password = line:match("^([^\t]+)\t(.+)$")
      bodies[i] = '{"username":"' .. user .. '","password":"' .. password .. '"}'
    end
    index = ((id - 1) * 7919) % #bodies
  elseif mode == "refresh" then
    -- slices by thread; wrk runs setup for every thread before any init
    pool = {}
    local thread_count = tonumber(args[3])
    for i = id, #lines, thread_count do pool[#pool + 1] = lines[i] end
  end
  -- response() makes wrk parse every answer: defined (per thread, here) only where it matters
  if mode == "login" then
    response = function(status) count(status) end
  elseif mode == "refresh" then
    response = function(status, headers, body)
      count(status)
      if status == 200 then
        local token = body:match('"refresh_token"%s*:%s*"([^"]+)"')
        if token then pool[#pool + 1] = token end
      end
    end
  end
end

function request()
  if mode == "header" then
    index = index % #values + 1
    return wrk.format(nil, nil, { [name] = prefix .. values[index] })
  elseif mode == "login" then
    index = index % #bodies + 1
    return wrk.format("POST", nil, { ["Content-Type"] = "application/json" }, bodies[index])
  elseif mode == "refresh" then
    local token = table.remove(pool, 1)
    if token == nil then
      -- every token of this thread is in flight (or was lost to an error): ask something harmless
      return wrk.format("GET", "/health/live")
    end
    return wrk.format("POST", nil, { ["Content-Type"] = "application/json" },
      '{"refresh_token":"' .. token .. '"}')
  end
  return wrk.request()
end

function done(summary, latency, requests)
  local codes = {}
  for _, thread in ipairs(threads) do
    local seen = thread:get("statuses")
    if seen then
      for status, n in pairs(seen) do codes[status] = (codes[status] or 0) + n end
    end
  end
  local parts = {}
  for status, n in pairs(codes) do parts[#parts + 1] = "status_" .. status .. "=" .. n end
  io.write(string.format(
    "BENCH requests=%d duration_us=%d errors_status=%d errors_connect=%d errors_read=%d " ..
      "errors_write=%d errors_timeout=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d %s\n",
    summary.requests, summary.duration, summary.errors.status, summary.errors.connect,
    summary.errors.read, summary.errors.write, summary.errors.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    table.concat(parts, " ")))
end
