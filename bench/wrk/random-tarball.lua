-- wrk script: a random tarball of the benchmark corpus (pkg-0000..pkg-0999, 1.0.0..1.0.4) per request.
-- LAYOUT=synapse (default) uses /api/v1/packages/NAME/VERSION/tarball; LAYOUT=npm uses /NAME/-/NAME-VERSION.tgz.
local layout = os.getenv("LAYOUT") or "synapse"
local packages = tonumber(os.getenv("PACKAGES") or "1000")
local versions = tonumber(os.getenv("VERSIONS") or "5")

request = function()
  local name = string.format("pkg-%04d", math.random(0, packages - 1))
  local version = "1.0." .. math.random(0, versions - 1)
  if layout == "npm" then
    return wrk.format("GET", "/" .. name .. "/-/" .. name .. "-" .. version .. ".tgz")
  end
  return wrk.format("GET", "/api/v1/packages/" .. name .. "/" .. version .. "/tarball")
end
