-- Random lots' pages for wrk, as phones scanning labels would ask for them.
--
--   wrk -t2 -c32 -d15s --latency -s bench/wrk_lots.lua http://127.0.0.1:5000 -- /tmp/paths.txt
--
-- The file after "--" holds one path a line (e.g. /01/09520120000007/10/L00000042). Every wrk thread runs
-- its own Lua state, so each one loads the list in init() and seeds its own generator; request() then picks
-- one path at random. wrk itself counts non-2xx answers and socket errors.

local paths = {}
local threads = 0

function setup(thread)
  -- Runs in wrk's main state, once per thread: a distinct id for each thread's random seed.
  threads = threads + 1
  thread:set("thread_id", threads)
end

function init(args)
  local file = args[1]
  if not file then
    error("usage: wrk ... -s wrk_lots.lua URL -- PATHS_FILE")
  end
  for line in io.lines(file) do
    if line ~= "" then
      paths[#paths + 1] = line
    end
  end
  if #paths == 0 then
    error("no paths in " .. file)
  end
  math.randomseed(os.time() * 1000 + (thread_id or 0))
  -- What a phone's browser sends after reading the QR code.
  wrk.headers["User-Agent"] = "Mozilla/5.0 (Linux; Android 13; SM-A145F) AppleWebKit/537.36 "
    .. "(KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36"
  wrk.headers["Accept"] = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
  wrk.headers["Accept-Language"] = "vi-VN,vi;q=0.9"
end

function request()
  return wrk.format("GET", paths[math.random(#paths)])
end
