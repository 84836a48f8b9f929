#!/usr/bin/env bash
# prosody_lab.sh: bidilab's interop lab. Real XMPP servers from Debian 12 (two Prosody 0.12.3,
# and ejabberd 23.01 in configuration e) talk server-to-server inside a private network
# namespace, under several configurations; the s2s XML of each run is recorded as a wire log
# and checked with `bidilab validate` against a topology describing that configuration.
# See README.md beside this script.
#
#   prosody_lab.sh BIDILAB [OUT_DIR]
#
#   BIDILAB   the bidilab executable (CTest passes $<TARGET_FILE:bidilab>)
#   OUT_DIR   where CONFIG.log (the wire log), CONFIG.topology.json, CONFIG.validate.txt,
#             CONFIG.summary.txt and CONFIG.shell.txt go; default: a new folder under /tmp
#
# Configurations (capulet.lit: Prosody on 127.0.0.2; montague.lit + conference.montague.lit:
# Prosody on 127.0.0.3; verona.lit: ejabberd on 127.0.0.4; all on port 5269):
#   a  dialback, no TLS, bidi on both          c  STARTTLS required, private CA, SASL EXTERNAL, bidi on both
#   b  dialback, no TLS, bidi on capulet only  d  as c, bidi on capulet only
#   e  capulet.lit (Prosody, bidi) <-> verona.lit (ejabberd, no bidi), dialback, no TLS
#
# Environment:
#   LAB_CONFIGS="a b c d e"  which configurations to run (default: all; without e, ejabberd
#                            is not installed)
#   LAB_KEEP=1               keep the work folder (server configs, debug logs, raw rows)
#   LAB_NO_INSTALL=1         fail instead of running apt-get when a package is missing
#   LAB_DEADLINE=110         seconds the lab may take once the packages are there
#
# Needs root (apt-get, ip netns, port 5269). Exit 0: every capture accepted; 1: something
# failed, and the last line on stderr says what ("prosody_lab: FAIL: ..."); 2: bad usage.
set -Eeuo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ME=prosody_lab
CAPULET_IP=127.0.0.2     # capulet.lit
MONTAGUE_IP=127.0.0.3    # montague.lit, conference.montague.lit (MUC component)
VERONA_IP=127.0.0.4      # verona.lit (ejabberd, configuration e)
LAB_CONFIGS="${LAB_CONFIGS:-a b c d e}"
LAB_DEADLINE="${LAB_DEADLINE:-110}"

fail() { printf '%s: FAIL: %s\n' "$ME" "$*" >&2; exit 1; }
say() { printf '[%5.1fs] %s\n' "$(elapsed)" "$*"; }
elapsed() { local now; now=$(date +%s%N); echo "$(( (now - T0) / 1000000 ))" | awk '{ printf "%.1f", $1 / 1000 }'; }
T0=$(date +%s%N)

if [ $# -lt 1 ] || [ $# -gt 2 ]; then echo "usage: $0 BIDILAB [OUT_DIR]" >&2; exit 2; fi
BIDILAB="$1"
[ -x "$BIDILAB" ] || fail "bidilab executable '$BIDILAB' not found (build it first: cmake --build BUILD --target bidilab)"
BIDILAB="$(cd "$(dirname "$BIDILAB")" && pwd)/$(basename "$BIDILAB")"
OUT="${2:-}"
for c in $LAB_CONFIGS; do
	case $c in a|b|c|d|e) ;; *) fail "unknown configuration '$c' in LAB_CONFIGS (known: a b c d e)" ;; esac
done
EXTRA_PACKAGES=""; case " $LAB_CONFIGS " in *" e "*) EXTRA_PACKAGES=ejabberd ;; esac
[ "$(id -u)" = 0 ] || fail "needs root (apt-get, ip netns add, Prosody on port 5269); it does not skip: run it as root, or exclude it (ctest -LE interop)"

# ------------------------------------------------------------------ cleanup (on every exit)
W=""; NS=""; NETNS_ETC=""; POLICY_MADE=0; PIDS=()
cleanup() {
	local rc=$? p
	set +e
	trap - ERR
	for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done
	for p in "${PIDS[@]}"; do
		for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
		kill -0 "$p" 2>/dev/null && { echo "$ME: pid $p ignored SIGTERM for 5 s: SIGKILL" >&2; kill -KILL "$p"; }
		wait "$p" 2>/dev/null
	done
	[ -n "$NS" ] && { ip netns del "$NS" || echo "$ME: could not delete network namespace $NS" >&2; }
	if [ "$NETNS_ETC" != "" ]; then
		rm -rf "/etc/netns/$NS"
		[ "$NETNS_ETC" = made-parent ] && rmdir /etc/netns 2>/dev/null
	fi
	[ "$POLICY_MADE" = 1 ] && rm -f /usr/sbin/policy-rc.d
	if [ -n "$W" ]; then
		if [ "${LAB_KEEP:-0}" = 1 ]; then echo "$ME: work folder kept: $W"; else rm -rf "$W"; fi
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'printf "%s: FAIL: interrupted (SIGINT)\n" "$ME" >&2; exit 130' INT
trap 'printf "%s: FAIL: interrupted (SIGTERM)\n" "$ME" >&2; exit 143' TERM
trap 'fail "unexpected error (exit $?) at line $LINENO: $BASH_COMMAND"' ERR

W="$(mktemp -d /tmp/bidilab-prosody-lab.XXXXXX)"
if [ -z "$OUT" ]; then OUT="$(mktemp -d /tmp/bidilab-prosody-lab-out.XXXXXX)"; fi
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"

# ------------------------------------------------------------------ packages
# Debian's prosody 0.12.3 (mod_s2s_bidi is part of it), lua-unbound (Prosody's resolver that
# can take names from a hosts file: see "Name resolution" below), openssl (the private CA),
# iproute2 (ip netns).
install_missing() {
	local p missing=()
	for p in prosody lua-unbound openssl iproute2 $EXTRA_PACKAGES; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
	done
	[ "${#missing[@]}" -eq 0 ] && return 0
	[ "${LAB_NO_INSTALL:-0}" = 1 ] && fail "missing Debian packages: ${missing[*]} (LAB_NO_INSTALL=1)"
	command -v apt-get >/dev/null || fail "missing packages ${missing[*]} and no apt-get (the lab expects Debian 12)"
	say "installing ${missing[*]}"
	# apt would start the system-wide Prosody service; a policy-rc.d saying 101 prevents it
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		printf '#!/bin/sh\n# bidilab prosody_lab.sh: no service starts during its apt-get\nexit 101\n' > /usr/sbin/policy-rc.d
		chmod 755 /usr/sbin/policy-rc.d
		POLICY_MADE=1
	fi
	export DEBIAN_FRONTEND=noninteractive
	timeout 90 apt-get -o DPkg::Lock::Timeout=60 update -qq </dev/null >"$W/apt.log" 2>&1 ||
		echo "$ME: apt-get update failed (trying the install anyway): $(tail -1 "$W/apt.log")" >&2
	if ! timeout 240 apt-get -o DPkg::Lock::Timeout=60 install -y -qq --no-install-recommends "${missing[@]}" \
			</dev/null >>"$W/apt.log" 2>&1; then
		tail -20 "$W/apt.log" >&2
		fail "apt-get install ${missing[*]} failed (log above)"
	fi
	if [ "$POLICY_MADE" = 1 ]; then rm -f /usr/sbin/policy-rc.d; POLICY_MADE=0; fi
	say "installed ${missing[*]}"
}
install_missing
for cmd in prosody prosodyctl lua5.4 openssl ip timeout; do
	command -v "$cmd" >/dev/null || fail "'$cmd' not found after installing the packages"
done
lua5.4 -e 'require "lunbound"' 2>/dev/null ||
	fail "lua-unbound does not load in lua5.4: Prosody would fall back to its own DNS client, which ignores the lab's hosts file"
[ -f /usr/lib/prosody/modules/mod_s2s_bidi.lua ] || fail "this Prosody has no mod_s2s_bidi (Debian 12's 0.12.3 has)"
PROSODY_VERSION="$(dpkg-query -W -f='${Version}' prosody)"
T0=$(date +%s%N)       # the deadline counts from here: installing is not the lab
deadline() { [ "$(( ($(date +%s%N) - T0) / 1000000000 ))" -lt "$LAB_DEADLINE" ] || fail "the lab took longer than LAB_DEADLINE=${LAB_DEADLINE}s (at: $*)"; }

# ------------------------------------------------------------------ network namespace
# Everything the lab runs lives in a namespace that has only its own loopback interface
# (127.0.0.0/8), so no packet can leave and nothing clashes with the host's port 5269.
NS="bidilab-lab-$$"
if ! err="$(ip netns add "$NS" 2>&1)"; then
	NS=""
	fail "cannot create a network namespace (ip netns add: $err); the lab needs one and does not skip"
fi
ip -n "$NS" link set lo up
in_ns() { ip netns exec "$NS" "$@"; }
in_ns ip -o addr show | awk '$2 != "lo" { bad = 1 } END { exit bad }' || fail "namespace $NS has an interface other than lo"
say "Prosody $PROSODY_VERSION${EXTRA_PACKAGES:+, ejabberd $(dpkg-query -W -f='${Version}' ejabberd)}; network namespace $NS (lo only)"

# ------------------------------------------------------------------ work folder
# Name resolution. Prosody 0.12 has no per-domain address setting and asks DNS (SRV first,
# then A). With lua-unbound it uses libunbound, which this config points at the lab's own
# hosts file; the zone "lit." is answered locally ("static": what the hosts file does not
# list, e.g. the SRV records, is NXDOMAIN, so Prosody falls back to port 5269) and the only
# forwarder is 127.0.0.1 inside the namespace, where nothing listens. /etc/hosts and
# /etc/resolv.conf are neither read nor changed.
mkdir -p "$W/plugins" "$W/pki"
cp "$HERE/mod_bidilab_wirelog.lua" "$W/plugins/"
printf '%s capulet.lit\n%s montague.lit conference.montague.lit\n%s verona.lit\n' "$CAPULET_IP" "$MONTAGUE_IP" "$VERONA_IP" > "$W/hosts"
chmod 700 "$W/pki"    # configuration e opens the work folder to the user ejabberd

# A private CA and one certificate per server (montague's names its MUC domain too), for c, d;
# P-256 keys (RSA key generation alone took seconds here)
make_pki() {
	local d sans
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$W/pki/ca.key" -out "$W/pki/ca.crt" -days 30 \
		-subj "/CN=bidilab interop lab CA" >/dev/null 2>&1
	for d in capulet.lit montague.lit; do
		sans="DNS:$d"; [ "$d" = montague.lit ] && sans="$sans,DNS:conference.montague.lit"
		openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$W/pki/$d.key" -out "$W/pki/$d.csr" -subj "/CN=$d" >/dev/null 2>&1
		printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth,clientAuth\n' \
			"$sans" > "$W/pki/$d.ext"
		openssl x509 -req -in "$W/pki/$d.csr" -CA "$W/pki/ca.crt" -CAkey "$W/pki/ca.key" -CAcreateserial \
			-out "$W/pki/$d.crt" -days 30 -extfile "$W/pki/$d.ext" >/dev/null 2>&1
	done
}

# prosody_config SERVER DOMAIN IP BIDI TLS -> $W/run/SERVER/prosody.cfg.lua
prosody_config() {
	local server=$1 domain=$2 ip=$3 bidi=$4 tls=$5 dir="$W/run/$1" modules
	mkdir -p "$dir/data" "$dir/certs"
	modules='"admin_shell"; "admin_socket"; "posix"; "dialback"; "saslauth"; "disco"; "ping"; "bidilab_wirelog";'
	[ "$bidi" = 1 ] && modules="$modules \"s2s_bidi\";"
	# mod_tls only with certificates: without them it still offers STARTTLS, and the handshake fails
	[ "$tls" = 1 ] && modules="$modules \"tls\";"
	cat > "$dir/prosody.cfg.lua" <<-EOF
		-- bidilab interop lab: $domain on $ip (bidi=$bidi tls=$tls)
		run_as_root = true
		data_path = "$dir/data"
		admin_socket = "$dir/admin.sock"
		plugin_paths = { "$W/plugins" }
		log = { debug = "$dir/prosody.log" }
		bidilab_wirelog_file = "$dir/wire.tsv"
		bidilab_wirelog_instance = "$server"
		interfaces = { "$ip" }
		local_interfaces = { "$ip" }
		c2s_ports = { 5222 }
		s2s_ports = { 5269 }
		c2s_direct_tls_ports = { }
		s2s_direct_tls_ports = { }
		legacy_ssl_ports = { }
		use_ipv6 = false
		unbound = { resolvconf = false; hoststxt = "$W/hosts"; forward = "127.0.0.1"; options = { ["local-zone:"] = "lit. static" } }
		modules_enabled = { $modules }
		authentication = "internal_hashed"
		storage = "internal"
		certificates = "$dir/certs"
		c2s_require_encryption = false
	EOF
	if [ "$tls" = 1 ]; then
		cat >> "$dir/prosody.cfg.lua" <<-EOF
			s2s_require_encryption = true
			s2s_secure_auth = true
			ssl = { certificate = "$W/pki/$domain.crt"; key = "$W/pki/$domain.key"; cafile = "$W/pki/ca.crt" }
		EOF
	else
		printf 's2s_require_encryption = false\ns2s_secure_auth = false\n' >> "$dir/prosody.cfg.lua"
	fi
	printf 'VirtualHost "%s"\n' "$domain" >> "$dir/prosody.cfg.lua"
	if [ "$server" = montague ]; then printf 'Component "conference.montague.lit" "muc"\n' >> "$dir/prosody.cfg.lua"; fi
}

# topology NAME DESCRIPTION MONTAGUE_BIDI TLS -> the servers as bidilab's model sees them
topology() {
	local name=$1 description=$2 mbidi=$3 tls=$4 tlsmode=none sasl=false cap_cert="" mon_cert=""
	if [ "$tls" = 1 ]; then
		tlsmode=required; sasl=true
		cap_cert='"certificate": { "names": ["capulet.lit"], "trusted": true },'
		mon_cert='"certificate": { "names": ["montague.lit", "conference.montague.lit"], "trusted": true },'
	fi
	local mbidi_json=false; [ "$mbidi" = 1 ] && mbidi_json=true
	cat <<-EOF
		{
		  "name": "$name",
		  "description": "$description (written by tests/interop/prosody_lab.sh; Prosody $PROSODY_VERSION: dialback without <errors/>)",
		  "servers": [
		    { "name": "capulet", "domains": ["capulet.lit"], $cap_cert
		      "tls": "$tlsmode", "sasl_external": $sasl, "dialback": true, "dialback_errors": false, "bidi": true },
		    { "name": "montague", "domains": ["montague.lit", "conference.montague.lit"], $mon_cert
		      "tls": "$tlsmode", "sasl_external": $sasl, "dialback": true, "dialback_errors": false, "bidi": $mbidi_json }
		  ]
		}
	EOF
}

start_prosody() { # start_prosody SERVER -> LASTPID
	# not through in_ns: $! must be Prosody itself (ip netns exec execs it), not a subshell
	ip netns exec "$NS" prosody -F --config "$W/run/$1/prosody.cfg.lua" </dev/null >"$W/run/$1/stdout.log" 2>&1 &
	LASTPID=$!
	PIDS+=("$LASTPID")
}

wait_ready() { # wait_ready SERVER PID: admin socket there and s2s listening, 10 s at most
	for _ in $(seq 100); do
		if [ -S "$W/run/$1/admin.sock" ] && grep -q "Activated service 's2s'" "$W/run/$1/prosody.log" 2>/dev/null; then
			return 0
		fi
		kill -0 "$2" 2>/dev/null || { tail -20 "$W/run/$1/stdout.log" "$W/run/$1/prosody.log" >&2 2>/dev/null; fail "$CONFIG: Prosody $1 exited at start-up (log above)"; }
		sleep 0.1
	done
	tail -20 "$W/run/$1/prosody.log" >&2 2>/dev/null
	fail "$CONFIG: Prosody $1 not ready after 10 s (log above)"
}

stop_pid() { # stop_pid PID: SIGTERM (Prosody closes its streams), 10 s, then SIGKILL
	local p=$1 q keep=()
	kill -TERM "$p" 2>/dev/null || true
	for _ in $(seq 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
	if kill -0 "$p" 2>/dev/null; then echo "$ME: pid $p still running 10 s after SIGTERM: SIGKILL" >&2; kill -KILL "$p"; fi
	wait "$p" 2>/dev/null || true
	for q in "${PIDS[@]}"; do [ "$q" != "$p" ] && keep+=("$q"); done
	PIDS=("${keep[@]}")
}

shell() { # shell SERVER ARGS...: one admin-shell command (15 s at most); its output goes to the transcript
	local server=$1 rc=0; shift
	deadline "$CONFIG: prosodyctl shell $*"
	echo "\$ prosodyctl shell $*" >> "$W/run/shell.txt"
	timeout 15 ip netns exec "$NS" prosodyctl --config "$W/run/$server/prosody.cfg.lua" shell "$@" \
		</dev/null >>"$W/run/shell.txt" 2>&1 || rc=$?
	echo "(exit $rc)" >> "$W/run/shell.txt"
	return "$rc"
}

# summary LOG: what a capture shows, one line per connection
summary() {
	awk '
	/^#/ || NF < 5 { next }
	{
		c = $2; if (!(c in seen)) { seen[c] = 1; order[++n] = c }
		if ($3 == "->" && hdr[c] == "" && match($0, /<stream:stream[^>]*>/)) {
			h = substr($0, RSTART, RLENGTH); f = h; t = h
			sub(/.* from=.\047?/, "", f); sub(/[\047"].*/, "", f)
			sub(/.* to=.\047?/, "", t); sub(/[\047"].*/, "", t)
			hdr[c] = f " -> " t
		}
		if ($3 == "<-" && index($0, "urn:xmpp:features:bidi")) offered[c] = 1
		if ($3 == "->" && index($0, "xmlns=\047urn:xmpp:bidi\047")) requested[c] = 1
		if ($3 == "<-" && index($0, "<proceed")) tls[c] = 1
		if ($3 == "<-" && index($0, "<success")) auth[c] = auth[c] "+SASL-EXTERNAL"
		if ($3 == "<-" && $0 ~ /<db:result[^>]*type=.valid/) auth[c] = auth[c] "+dialback"
		if ($3 == "->" && index($0, "<db:verify") && $0 !~ /type=/) verify[c]++
		s = $0; k = gsub(/<(iq|message|presence)[ >]/, "", s)
		if ($3 == "->") fwd[c] += k; else back[c] += k
	}
	END {
		printf "%d connection(s)\n", n
		for (i = 1; i <= n; i++) {
			c = order[i]; a = auth[c]; sub(/^\+/, "", a)
			printf "  %s %s: TLS %s, bidi %s, auth %s, db:verify requests %d, stanzas ->%d <-%d\n", c, hdr[c],
				(c in tls) ? "yes" : "no",
				(c in requested) ? "requested" : ((c in offered) ? "offered, not requested" : "not offered"),
				(a == "") ? "none" : a, verify[c], fwd[c], back[c]
		}
	}' "$1"
}

# ------------------------------------------------------------------ one configuration
# record_and_validate NAME DESCRIPTION HEADER_LINE TSV...: the servers' rows -> BASE.log,
# its summary, and bidilab's verdict against BASE.topology.json (written before)
record_and_validate() {
	local name=$1 description=$2 header=$3 base="$OUT/$CONFIG-$1" rc first; shift 3
	cp "$W/run/shell.txt" "$base.shell.txt"
	sort -s -t "$(printf '\t')" -k1,1n "$@" > "$W/run/rows.tsv" 2>/dev/null ||
		fail "$CONFIG: no s2s bytes were recorded (mod_bidilab_wirelog wrote nothing)"
	{
		echo "# bidilab interop lab, configuration $CONFIG ($name): $description"
		echo "# $header"
		echo "# recorded by mod_bidilab_wirelog (after TLS), merged by wirelog.awk; format: shared notes, wire-log.md"
		awk -F '\t' -f "$HERE/wirelog.awk" "$W/run/rows.tsv" "$W/run/rows.tsv" || true
	} > "$base.log"
	if ! grep -q '^ *[0-9]' "$base.log"; then fail "$CONFIG ($name): the capture $base.log is empty"; fi
	summary "$base.log" > "$base.summary.txt"

	rc=0
	deadline "$CONFIG: bidilab validate"
	timeout 30 "$BIDILAB" validate "$base.topology.json" "$base.log" > "$base.validate.txt" 2>&1 || rc=$?
	sed 's/^/    /' "$base.summary.txt"
	case $rc in
		0) say "configuration $CONFIG: $(head -1 "$base.validate.txt")" ;;
		1) cat "$base.validate.txt" >&2
		   first="$(grep -m1 -E '^ +[^ ].*:[0-9]+: ' "$base.validate.txt" | sed 's/^ *//' | cut -c1-500)"
		   fail "$CONFIG ($name): bidilab validate rejected $base.log: ${first:-see above}" ;;
		*) cat "$base.validate.txt" >&2
		   fail "$CONFIG ($name): bidilab validate could not read the capture or topology (exit $rc): $(head -1 "$base.validate.txt")" ;;
	esac
}

# run_config ID NAME DESCRIPTION MONTAGUE_BIDI TLS: Prosody capulet.lit <-> Prosody montague.lit
run_config() {
	CONFIG=$1
	local name=$2 description=$3 mbidi=$4 tls=$5 rc cap mon
	deadline "configuration $CONFIG start"
	say "configuration $CONFIG ($name): $description"
	rm -rf "$W/run"; mkdir -p "$W/run"
	rm -f "$OUT/$1-$2".*
	prosody_config capulet capulet.lit "$CAPULET_IP" 1 "$tls"
	prosody_config montague montague.lit "$MONTAGUE_IP" "$mbidi" "$tls"
	topology "prosody-lab-$1-$2" "$description" "$mbidi" "$tls" > "$OUT/$1-$2.topology.json"
	start_prosody capulet; cap=$LASTPID
	start_prosody montague; mon=$LASTPID
	wait_ready capulet "$cap"; wait_ready montague "$mon"
	if grep -q "legacy DNS API\|Falling back to" "$W"/run/*/prosody.log; then fail "$CONFIG: Prosody is not resolving with libunbound"; fi

	# The scenario: both directions between capulet.lit and montague.lit, an error bounce, and a
	# second domain pair towards the same server (the MUC component).
	shell capulet xmpp ping capulet.lit montague.lit || fail "$CONFIG: iq ping capulet.lit -> montague.lit got no result ($(tail -2 "$W/run/shell.txt" | head -1))"
	shell montague xmpp ping montague.lit capulet.lit || fail "$CONFIG: iq ping montague.lit -> capulet.lit got no result ($(tail -2 "$W/run/shell.txt" | head -1))"
	shell capulet ">prosody.core_post_stanza(prosody.hosts['capulet.lit'], require'util.stanza'.message({from='juliet@capulet.lit/balcony', to='romeo@montague.lit', type='chat', id='lab-msg-1'}):text_tag('body','Wherefore art thou?'))" ||
		fail "$CONFIG: could not inject the message juliet@capulet.lit -> romeo@montague.lit"
	# the MUC component answers a ping to its domain with an error: a reply either way
	rc=0; shell capulet xmpp ping capulet.lit conference.montague.lit || rc=$?
	[ "$rc" = 124 ] && fail "$CONFIG: iq ping capulet.lit -> conference.montague.lit: no reply within 15 s"
	# montague's error bounce for the message travels before the MUC's reply; wait for it (2 s at most)
	for _ in $(seq 20); do grep -q "type='error'" "$W/run/montague/wire.tsv" 2>/dev/null && break; sleep 0.1; done
	stop_pid "$cap"    # capulet first: it closes its streams, montague answers the closes
	stop_pid "$mon"
	record_and_validate "$name" "$description" \
		"Prosody $PROSODY_VERSION on both: capulet.lit at $CAPULET_IP, montague.lit + conference.montague.lit at $MONTAGUE_IP" \
		"$W/run/capulet/wire.tsv" "$W/run/montague/wire.tsv"
}

# ------------------------------------------------------------------ configuration e: ejabberd
# verona.lit is Debian 12's ejabberd 23.01 (no XEP-0288), talking dialback with capulet.lit
# (Prosody, bidi on). Only Prosody records: ejabberd's writes are what Prosody read, "(peer)".
# ejabberd looks up SRV records with Erlang's resolver, which the inetrc below points at
# 127.0.0.1 (nothing listens there: refused, so it falls back to port 5269), and A records with
# libc's getaddrinfo, which reads /etc/hosts: "ip netns exec" bind-mounts the files in
# /etc/netns/NAMESPACE/ over /etc/hosts and /etc/resolv.conf for the processes it starts, so
# the lab writes its hosts there (removed at the end; the host's files are not touched).
# ejabberd runs without epmd (ERL_DIST_PORT), as the user ejabberd (ejabberdctl switches to it
# when started as root).
ejabberd_config() {
	local dir="$W/run/ejabberd"
	mkdir -p "$dir/logs" "$dir/spool"
	cat > "$dir/ejabberd.yml" <<-EOF
		# bidilab interop lab: verona.lit on $VERONA_IP
		hosts:
		  - verona.lit
		loglevel: info
		log_rotate_count: 0
		certfiles: []
		listen:
		  -
		    port: 5269
		    ip: "$VERONA_IP"
		    module: ejabberd_s2s_in
		s2s_use_starttls: false
		s2s_access: all
		outgoing_s2s_families:
		  - ipv4
		acl:
		  local:
		    user_regexp: ""
		access_rules:
		  local:
		    allow: local
		api_permissions:
		  "console commands":
		    from:
		      - ejabberd_ctl
		    who: all
		    what: "*"
		modules:
		  mod_disco: {}
		  mod_ping: {}
		  mod_s2s_dialback: {}
		  mod_admin_extra: {}
	EOF
	cat > "$dir/inetrc" <<-EOF
		{lookup, ["file"]}.
		{host, {127,0,0,1}, ["localhost"]}.
		{host, {127,0,0,2}, ["capulet.lit"]}.
		{host, {127,0,0,3}, ["montague.lit", "conference.montague.lit"]}.
		{host, {127,0,0,4}, ["verona.lit"]}.
		{resolv_conf, ""}.
		{hosts_file, ""}.
		{nameserver, {127,0,0,1}, 53}.
	EOF
	cat > "$dir/ejabberdctl.cfg" <<-EOF
		ERLANG_NODE=ejabberd@localhost
		ERL_OPTIONS="-setcookie bidilab-lab-$$ -env ERL_CRASH_DUMP_BYTES 0"
		ERL_DIST_PORT=5210
		EJABBERD_PID_PATH=$dir/ejabberd.pid
		CONTRIB_MODULES_PATH=$dir/contrib
		CONTRIB_MODULES_CONF_DIR=$dir/contrib-conf
	EOF
	chown -R ejabberd:ejabberd "$dir"
	if [ -z "$NETNS_ETC" ]; then
		if [ -d /etc/netns ]; then NETNS_ETC=made; else NETNS_ETC=made-parent; fi
		mkdir -p "/etc/netns/$NS"
		{ echo "127.0.0.1 localhost"; cat "$W/hosts"; } > "/etc/netns/$NS/hosts"
		echo "nameserver 127.0.0.1" > "/etc/netns/$NS/resolv.conf"
	fi
}

# ejabberdctl for the lab's node, in the namespace (an array, not a function: started with &,
# a function would be a subshell, and $! not the process the lab has to stop)
ejabberdctl_lab() {
	local dir="$W/run/ejabberd"
	EJABBERDCTL=(ip netns exec "$NS" ejabberdctl --config-dir "$dir" --ctl-config "$dir/ejabberdctl.cfg"
		--config "$dir/ejabberd.yml" --logs "$dir/logs" --spool "$dir/spool")
}

run_config_e() {
	CONFIG=e
	local name=ejabberd-dialback description="dialback, no TLS; capulet.lit is Prosody with bidi, verona.lit is ejabberd 23.01 (no bidi)"
	local dir="$W/run/ejabberd" cap ej beam="" rc
	deadline "configuration e start"
	say "configuration e ($name): $description"
	rm -rf "$W/run"; mkdir -p "$W/run"; chmod 755 "$W" "$W/run"
	rm -f "$OUT/e-$name".*
	prosody_config capulet capulet.lit "$CAPULET_IP" 1 0
	ejabberd_config
	ejabberd_topology > "$OUT/e-$name.topology.json"
	start_prosody capulet; cap=$LASTPID
	# ejabberdctl runs the Erlang VM under su: "timeout" (bounded by the lab's deadline) is the
	# PID the lab keeps, as SIGTERM to it reaches its whole process group, the VM included; the
	# VM's own PID (its pid file) is stopped first
	ejabberdctl_lab
	timeout "$LAB_DEADLINE" "${EJABBERDCTL[@]}" foreground </dev/null >"$dir/stdout.log" 2>&1 &
	ej=$!; PIDS+=("$ej")
	wait_ready capulet "$cap"
	for _ in $(seq 300); do       # 30 s: the Erlang VM takes a few seconds
		[ -z "$beam" ] && [ -s "$dir/ejabberd.pid" ] && { beam="$(cat "$dir/ejabberd.pid")"; PIDS=("$beam" "${PIDS[@]}"); }
		grep -q "Start accepting TCP connections at $VERONA_IP:5269" "$dir/logs/ejabberd.log" 2>/dev/null && break
		kill -0 "$ej" 2>/dev/null || { tail -20 "$dir/stdout.log" "$dir/logs/ejabberd.log" >&2 2>/dev/null; fail "e: ejabberd exited at start-up (log above)"; }
		sleep 0.1
	done
	grep -q "Start accepting TCP connections at $VERONA_IP:5269" "$dir/logs/ejabberd.log" 2>/dev/null ||
		{ tail -20 "$dir/logs/ejabberd.log" >&2 2>/dev/null; fail "e: ejabberd not listening on $VERONA_IP:5269 after 30 s (log above)"; }
	[ -n "$beam" ] || fail "e: ejabberd wrote no pid file ($dir/ejabberd.pid)"

	shell capulet xmpp ping capulet.lit verona.lit || fail "e: iq ping capulet.lit -> verona.lit got no result ($(tail -2 "$W/run/shell.txt" | head -1))"
	deadline "e: ejabberdctl send_stanza"
	echo "\$ ejabberdctl send_stanza verona.lit capulet.lit <iq ping>" >> "$W/run/shell.txt"
	rc=0; timeout 20 "${EJABBERDCTL[@]}" send_stanza verona.lit capulet.lit \
		"<iq type='get' id='lab-ej-1' from='verona.lit' to='capulet.lit'><ping xmlns='urn:xmpp:ping'/></iq>" \
		</dev/null >>"$W/run/shell.txt" 2>&1 || rc=$?
	echo "(exit $rc)" >> "$W/run/shell.txt"
	[ "$rc" = 0 ] || fail "e: ejabberdctl send_stanza verona.lit -> capulet.lit failed (exit $rc)"
	# capulet answers over its connection to verona.lit: wait for the answer (5 s at most)
	for _ in $(seq 50); do grep -q "id='lab-ej-1'.*type='result'\|type='result'.*id='lab-ej-1'" "$W/run/capulet/wire.tsv" 2>/dev/null && break; sleep 0.1; done
	grep -q "lab-ej-1" "$W/run/capulet/wire.tsv" || fail "e: ejabberd's ping verona.lit -> capulet.lit never reached capulet.lit"
	stop_pid "$cap"       # Prosody closes its streams, ejabberd answers the closes
	stop_pid "$beam"      # the Erlang VM stops on SIGTERM (init:stop)
	stop_pid "$ej"        # ejabberdctl returns once the VM is gone
	record_and_validate "$name" "$description" \
		"Prosody $PROSODY_VERSION: capulet.lit at $CAPULET_IP; ejabberd $(dpkg-query -W -f='${Version}' ejabberd): verona.lit at $VERONA_IP" \
		"$W/run/capulet/wire.tsv"
}

ejabberd_topology() {
	cat <<-EOF
		{
		  "name": "prosody-lab-e-ejabberd-dialback",
		  "description": "capulet.lit: Prosody $PROSODY_VERSION with bidi, dialback without <errors/>; verona.lit: ejabberd $(dpkg-query -W -f='${Version}' ejabberd), no XEP-0288, dialback with <errors/>, db:verify over a connection opened for it; no TLS (written by tests/interop/prosody_lab.sh)",
		  "servers": [
		    { "name": "capulet", "domains": ["capulet.lit"],
		      "tls": "none", "sasl_external": false, "dialback": true, "dialback_errors": false, "bidi": true },
		    { "name": "verona", "domains": ["verona.lit"],
		      "tls": "none", "sasl_external": false, "dialback": true, "dialback_errors": true, "bidi": false,
		      "verify_only_connections": true }
		  ]
		}
	EOF
}

case " $LAB_CONFIGS " in *" c "*|*" d "*) make_pki ;; esac
for c in $LAB_CONFIGS; do
	case $c in
		a) run_config a dialback-bidi "dialback, no TLS, bidi on both servers" 1 0 ;;
		b) run_config b dialback-bidi-capulet-only "dialback, no TLS, bidi on capulet only" 0 0 ;;
		c) run_config c tls-sasl-external-bidi "STARTTLS required, private CA, SASL EXTERNAL, bidi on both servers" 1 1 ;;
		d) run_config d tls-sasl-external-bidi-capulet-only "STARTTLS required, private CA, SASL EXTERNAL, bidi on capulet only" 0 1 ;;
		e) run_config_e ;;
	esac
done
say "all captures accepted (configurations: $LAB_CONFIGS); files in $OUT"
