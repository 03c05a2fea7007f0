-- wrk script: GET /api/v1/applications/{number} for random stored numbers.
-- NUMBERS: file of numbers, one a line; TOKEN: a bearer token that sees them.
local numbers = {}
for line in io.lines(os.getenv("NUMBERS")) do numbers[#numbers + 1] = line end
local headers = { ["Authorization"] = "Bearer " .. os.getenv("TOKEN") }
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))

request = function()
  return wrk.format("GET", "/api/v1/applications/" .. numbers[math.random(#numbers)], headers)
end

dofile("bench/result.lua")
