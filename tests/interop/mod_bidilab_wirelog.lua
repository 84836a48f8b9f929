-- mod_bidilab_wirelog: bidilab's interop lab loads this into each Prosody instance it runs
-- (tests/interop/prosody_lab.sh). It records every write on every server-to-server stream as
-- Prosody writes it and every read as Prosody reads it, after TLS (so decrypted), one row a
-- write or read, for wirelog.awk to merge into a wire log (docs/wire-log.md).
--
-- Row (tab-separated, one line):
--   EPOCH_SECONDS  INSTANCE  outgoing|incoming  OUT|IN  LOCAL_ADDR:PORT  PEER_ADDR:PORT
--   LOCAL_DOMAIN  REMOTE_DOMAIN  DATA
-- outgoing: this server initiated the TCP connection; incoming: it accepted it. The domains
-- are what the session knows when the bytes pass ("-" when not yet known: the first read of
-- an incoming stream comes before its header is parsed). DATA is the bytes as they are, except
-- that a CR or LF would end the row and is written as a blank (Prosody writes neither on s2s).
--
-- Options: bidilab_wirelog_file (path, required), bidilab_wirelog_instance (a label).
-- Built on util.filters: "bytes/out" is the last filter a write passes through before the
-- socket, "bytes/in" the first a read meets (mod_s2s runs both on the cleartext side of TLS).
module:set_global();

local filters = require "util.filters";
local time_now = require "util.time".now;

local path = assert(module:get_option_string("bidilab_wirelog_file"), "bidilab_wirelog_file is not set");
local instance = module:get_option_string("bidilab_wirelog_instance", "prosody");
local out = assert(io.open(path, "a"));
out:setvbuf("line");

local function endpoint(addr, port)
	return tostring(addr or "?") .. ":" .. tostring(port or "?");
end

local function row(session, dir, data)
	local conn = session.conn;
	if not conn then return; end
	local outgoing = session.direction == "outgoing";
	local local_domain, remote_domain;
	if outgoing then
		local_domain, remote_domain = session.from_host, session.to_host;
	else
		local_domain, remote_domain = session.to_host, session.from_host;
	end
	out:write(string.format("%.6f\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n",
		time_now(), instance, outgoing and "outgoing" or "incoming", dir,
		endpoint(conn.sockname, conn.sockport), endpoint(conn.peername, conn.peerport),
		local_domain or "-", remote_domain or "-", (data:gsub("[\r\n]", " "))));
end

local function is_s2s(session)
	return type(session.type) == "string" and session.type:sub(1, 3) == "s2s";
end

local function on_out(data, session)
	if type(data) == "string" and data ~= "" and is_s2s(session) then row(session, "OUT", data); end
	return data;
end

local function on_in(data, session)
	if type(data) == "string" and data ~= "" and is_s2s(session) then row(session, "IN", data); end
	return data;
end

local function attach(session)
	filters.add_filter(session, "bytes/out", on_out, -1000000);
	filters.add_filter(session, "bytes/in", on_in, 1000000);
end

filters.add_filter_hook(attach);

function module.unload()
	filters.remove_filter_hook(attach);
	out:close();
end
