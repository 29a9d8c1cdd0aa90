-- wrk script for scripts/bench-http.sh: sends the Authorization or Cookie header given in the
-- environment, counts every answer that is not 200, and prints one line the script parses.
local auth = os.getenv("BENCH_AUTHORIZATION") or ""
local cookie = os.getenv("BENCH_COOKIE") or ""
if auth ~= "" then wrk.headers["Authorization"] = auth end
if cookie ~= "" then wrk.headers["Cookie"] = cookie end

local threads = {}

function setup(thread)
	table.insert(threads, thread)
end

-- Per thread (each has its own Lua state); done() adds them up.
not200 = 0

function response(status, headers, body)
	if status ~= 200 then
		not200 = not200 + 1
	end
end

function done(summary, latency, requests)
	local bad = 0
	for _, t in ipairs(threads) do
		bad = bad + (t:get("not200") or 0)
	end
	local e = summary.errors
	io.write(string.format(
		"BENCH requests=%d rps=%.1f p50_us=%d p99_us=%d not200=%d socket_errors=%d\n",
		summary.requests, summary.requests / (summary.duration / 1e6),
		latency:percentile(50), latency:percentile(99), bad,
		e.connect + e.read + e.write + e.timeout))
end
