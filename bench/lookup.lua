-- wrk script: GET /api/v1/applications/{number} for random stored numbers.
-- NUMBERS: file of numbers, one a line; TOKEN: a bearer token that sees them.
local numbers = {}
for line in io.lines(os.getenv("NUMBERS")) do numbers[#numbers + 1] = line end
local headers = { ["Authorization"] = "Bearer " .. os.getenv("TOKEN") }
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))

request = function()
  return wrk.format("GET", "/api/v1/applications/" .. numbers[math.random(#numbers)], headers)
end

done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%d seconds=%.2f rps=%.0f p50_ms=%.2f p99_ms=%.2f non2xx=%d errors=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
