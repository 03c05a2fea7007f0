-- wrk script: POST /sign-in with a new wrong password each time (issue 15, finding 5), as a
-- browser sends the form (the double-submit cookie and field agree). USERNAME: the account
-- guessed at (default flood.target).
local user = os.getenv("USERNAME_GUESSED") or "flood.target"
local n = 0
local headers = {
  ["Content-Type"] = "application/x-www-form-urlencoded",
  ["Cookie"] = "qyzmet_pre=flood",
}

request = function()
  n = n + 1
  return wrk.format("POST", "/sign-in", headers,
    "username=" .. user .. "&password=wrong-guess-" .. n .. "-" .. math.random(1e9) .. "&pre=flood")
end

done = function(summary, latency, requests)
  -- Every answer is a refusal (401, or 429 when the hashing pool's queue is full): non2xx
  -- counts them all.
  io.write(string.format("FLOOD requests=%d seconds=%.2f rps=%.1f p50_ms=%.1f p99_ms=%.1f non2xx=%d errors=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
