-- wrk: each request posts one fresh submission (a random version-4 UUID), as phones after a forum.
local event = os.getenv("EVENT_ID")
wrk.method = "POST"
wrk.path = "/api/v1/events/" .. event .. "/responses"
wrk.headers["Content-Type"] = "application/json"

function setup(thread)
  thread:set("seed", math.random(1, 2 ^ 30))
end

function init(args)
  math.randomseed(seed + os.time())
end

local function uuid()
  return (string.gsub("xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx", "[xy]", function(c)
    local v = (c == "x") and math.random(0, 15) or math.random(8, 11)
    return string.format("%x", v)
  end))
end

function request()
  local body = '{"submission_id":"' .. uuid() .. '","answers":{"satisfaction":4,"gender":"female","opinion":"また参加したいです"}}'
  return wrk.format(nil, nil, nil, body)
end

function done(summary, latency, requests)
  io.write(string.format("WRK requests=%d errors=%d non2xx=%d p50_ms=%.2f p99_ms=%.2f\n",
    summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
