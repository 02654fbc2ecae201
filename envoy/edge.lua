-- The edge's request hygiene, before gRPC-Web and REST transcoding (envoy/envoy.yaml loads this file).
-- RPC calls (gRPC, gRPC-Web, Connect) have a path /package.Service/Method; everything else is REST.
--   * A token in the URL is refused (400) on every protocol: URLs end up in logs, histories and
--     Referer headers. Tokens go in the Authorization header only.
--   * A REST call with a verb no rule uses (TRACE, QUERY, …) is refused with 405.
--   * A REST body must be JSON: a POST, PUT or PATCH whose Content-Type is not application/json
--     (or that has a body and no Content-Type) is refused with 415.
--   * A REST call is marked (x-fidalex-rest) so that Envoy's own error replies to it are JSON, and
--     its original path and query go to the service (x-fidalex-rest-path), which refuses a query
--     that repeats a field the path binds (services/runtime/interceptors.ts).
-- Both headers are removed from RPC calls, so a client cannot set them through the edge.

local function status_body(code, message)
  return string.format('{"code":%d,"message":"%s","details":[]}', code, message)
end

local function refuse(handle, http_status, code, message)
  handle:respond({ [":status"] = tostring(http_status), ["content-type"] = "application/json" },
    status_body(code, message))
end

local function has_token_parameter(query)
  for pair in string.gmatch(query, "[^&]+") do
    local name = string.lower(string.match(pair, "^[^=]*"))
    name = string.gsub(name, "%%5f", "_")
    if name == "access_token" or name == "token" or name == "id_token" then
      return true
    end
  end
  return false
end

-- The verbs of the REST rules, and the ones CORS and HTTP itself need.
-- A standard verb a path does not take reaches the service behind the catch-all route, which answers
-- 405 with the path's Allow header; a verb HTTP does not define is refused here.
local rest_methods = {
  GET = true, HEAD = true, POST = true, PUT = true, DELETE = true, PATCH = true, OPTIONS = true, TRACE = true,
}

function envoy_on_request(handle)
  local headers = handle:headers()
  local path = headers:get(":path") or ""
  local query = string.match(path, "%?(.*)$") or ""
  if has_token_parameter(query) then
    refuse(handle, 400, 3, "a token must not be sent in the URL; send it as Authorization: Bearer <token>")
    return
  end
  local rpc = string.match(path, "^/%l[%w_]*%.[%w_%.]*/%u[%w_]*") ~= nil
  headers:remove("x-fidalex-rest")
  headers:remove("x-fidalex-rest-path")
  if rpc then
    return
  end
  local method = headers:get(":method")
  if not rest_methods[method] then
    refuse(handle, 405, 12, "the REST API takes GET, POST, PUT, DELETE and PATCH only")
    return
  end
  if method == "POST" or method == "PUT" or method == "PATCH" then
    local content_type = string.lower(headers:get("content-type") or "")
    local length = tonumber(headers:get("content-length") or "0") or 0
    local has_body = length > 0 or headers:get("transfer-encoding") ~= nil
    local json = string.match(content_type, "^application/json%s*$") ~= nil
      or string.match(content_type, "^application/json%s*;") ~= nil
    if (content_type ~= "" and not json) or (content_type == "" and has_body) then
      refuse(handle, 415, 3, "a request body must be JSON: send Content-Type: application/json")
      return
    end
  end
  headers:add("x-fidalex-rest", "1")
  headers:add("x-fidalex-rest-path", path)
end
