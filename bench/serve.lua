-- wrk script for bench/serve.sh: a mix of /search and /suggest requests
-- drawn from corpus/dev/queries.tsv (id, kind, query).  Every third request
-- is a /search for a whole query; the others are /suggest for a prefix of
-- one, as a search box sends them while someone types.
--
-- Environment: QUERIES (path of queries.tsv), LABEL (printed with the line).

local function urlencode(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local paths = {}

function init(args)
  local file = assert(io.open(os.getenv("QUERIES") or "corpus/dev/queries.tsv", "r"))
  local n = 0
  for line in file:lines() do
    local q = line:match("^[^\t]*\t[^\t]*\t(.*)$")
    if q and #q > 0 then
      n = n + 1
      if n % 3 == 0 then
        paths[#paths + 1] = "/search?q=" .. urlencode(q)
      else
        -- a prefix ending inside a word, as typed so far
        local cut = math.max(2, math.floor(#q * (0.4 + 0.5 * ((n * 7) % 10) / 10)))
        paths[#paths + 1] = "/suggest?q=" .. urlencode(q:sub(1, cut):gsub("[\128-\255]+$", ""))
      end
    end
  end
  file:close()
  -- each wrk thread starts at a different place in the list
  counter = (tonumber(tostring({}):match("0x(%x+)"), 16) or 0) % #paths
end

function request()
  counter = counter % #paths + 1
  return wrk.format("GET", paths[counter])
end

function done(summary, latency, requests)
  local e = summary.errors
  local errors = e.connect + e.read + e.write + e.timeout
  io.write(string.format(
    "RESULT label=%s requests=%d rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f socket_errors=%d non2xx=%d\n",
    os.getenv("LABEL") or "-", summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    errors, e.status))
end
