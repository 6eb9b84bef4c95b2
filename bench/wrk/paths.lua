-- wrk script: a random line of the file PATHS per request. A line is `PATH` or `PATH<TAB>ETAG`;
-- with an ETag the request sends it as If-None-Match (a client revalidating its cached copy).
local paths = {}
local etags = {}
for line in io.lines(os.getenv("PATHS")) do
  local path, etag = line:match("^([^\t]+)\t?(.*)$")
  paths[#paths + 1] = path
  etags[#etags + 1] = etag
end

request = function()
  local i = math.random(1, #paths)
  if etags[i] ~= "" then
    return wrk.format("GET", paths[i], { ["If-None-Match"] = etags[i] })
  end
  return wrk.format("GET", paths[i])
end
