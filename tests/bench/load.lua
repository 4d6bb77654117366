-- wrk script of tests/bench/bench_load.py: `wrk ... URL -- COOKIE PATH...` requests the paths in
-- turn with the session cookie, counts every answer but 200 (a redirect to the login page is
-- fast, and must not pass for a page) and prints one line of JSON at the end.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  wrk.headers["Cookie"] = args[1]
  paths = {}
  for i = 2, #args do
    paths[#paths + 1] = args[i]
  end
  turn = 0
  not_ok = 0
end

function request()
  turn = turn % #paths + 1
  return wrk.format("GET", paths[turn])
end

function response(status, headers, body)
  if status ~= 200 then
    not_ok = not_ok + 1
  end
end

function done(summary, latency, requests)
  local refused = 0
  for _, thread in ipairs(threads) do
    refused = refused + thread:get("not_ok")
  end
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "p50_ms": %.2f, "p95_ms": %.2f, "not_200": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, refused,
    errors.connect + errors.read + errors.write + errors.timeout))
end
