-- wrk script: GET /api/v1/public/status?number=…&iin=… for random stored pairs (issue 17).
-- PAIRS: file of "number iin" lines. No token: the public lookup.
local pairs_ = {}
for line in io.lines(os.getenv("PAIRS")) do
  local n, i = line:match("^(%d+) (%d+)$")
  if n then pairs_[#pairs_ + 1] = { n, i } end
end
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))

request = function()
  local p = pairs_[math.random(#pairs_)]
  return wrk.format("GET", "/api/v1/public/status?number=" .. p[1] .. "&iin=" .. p[2])
end

dofile("bench/result.lua")
