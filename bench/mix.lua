-- wrk script: round-robin over a list of requests, recording raw per-request latencies.
-- Usage: wrk -t8 -c8 -d15s -s bench/mix.lua http://host:port -- REQUESTS_FILE OUT_PREFIX
-- REQUESTS_FILE: one request per line, "METHOD<TAB>PATH<TAB>ACCEPT".
-- Each wrk thread (one connection each) writes "<ms> <status> <index>" lines to OUT_PREFIX.<thread>.
-- Raw timings, not wrk's histogram: wrk adds synthetic "coordinated omission" samples for slow
-- requests, which made percentiles of slow servers meaningless.
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clk_id, bench_timespec *tp);
]]
local ts = ffi.new("bench_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

local count = 0
function setup(thread)
  count = count + 1
  thread:set("thread_id", count)
end

function init(args)
  requests = {}
  for line in io.lines(args[1]) do
    local method, path, accept = line:match("^(%S+)\t(%S+)\t(.*)$")
    table.insert(requests, wrk.format(method, path, { ["Accept"] = accept }))
  end
  out = io.open(args[2] .. "." .. thread_id, "w")
  position = thread_id - 1
  current = 1
  started = 0
  written = 0
end

function request()
  current = (position % #requests) + 1
  position = position + 1
  started = now_ms()
  return requests[current]
end

function response(status, headers, body)
  out:write(string.format("%.4f %d %d\n", now_ms() - started, status, current))
  written = written + 1
  if written % 200 == 0 then out:flush() end
end
