# shellcheck shell=bash disable=SC2034  # sourced by prosody_lab.sh, which uses what it sets
# lab_prosody.sh: the interop lab's Prosody-only configurations (a-d, h, i, j), sourced by
# prosody_lab.sh (README.md beside it). capulet.lit on 127.0.0.2; montague.lit with its MUC
# component conference.montague.lit on 127.0.0.3; in i, a third Prosody, verona.lit, on 127.0.0.4.

# prosody_config SERVER DOMAIN IP BIDI TLS [REQUIRE [SECURE]] -> $W/run/SERVER/prosody.cfg.lua
#   TLS 0: no mod_tls (without certificates it would still offer STARTTLS, and the handshake
#   then fails); ca: certificate from the lab's CA, which it trusts; self: self-signed, no CA.
#   REQUIRE: s2s_require_encryption (default: 1 with TLS); SECURE: s2s_secure_auth (default:
#   1 with a CA certificate, else 0).
prosody_config() {
	local server=$1 domain=$2 ip=$3 bidi=$4 tls=$5 dir="$W/run/$1" modules require secure
	require=${6:-$([ "$tls" = 0 ] && echo 0 || echo 1)}
	secure=${7:-$([ "$tls" = ca ] && echo 1 || echo 0)}
	mkdir -p "$dir/data" "$dir/certs"
	modules='"admin_shell"; "admin_socket"; "posix"; "dialback"; "saslauth"; "disco"; "ping"; "bidilab_wirelog";'
	[ "$bidi" = 1 ] && modules="$modules \"s2s_bidi\";"
	[ "$tls" != 0 ] && modules="$modules \"tls\";"
	cat > "$dir/prosody.cfg.lua" <<-EOF
		-- bidilab interop lab: $domain on $ip (bidi=$bidi tls=$tls require=$require secure=$secure)
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
		s2s_require_encryption = $([ "$require" = 1 ] && echo true || echo false)
		s2s_secure_auth = $([ "$secure" = 1 ] && echo true || echo false)
	EOF
	case $tls in
		ca) echo "ssl = { certificate = \"$W/pki/$domain.crt\"; key = \"$W/pki/$domain.key\"; cafile = \"$W/pki/ca.crt\" }" ;;
		self) echo "ssl = { certificate = \"$W/pki/self/$domain.crt\"; key = \"$W/pki/self/$domain.key\" }" ;;
	esac >> "$dir/prosody.cfg.lua"
	printf 'VirtualHost "%s"\n' "$domain" >> "$dir/prosody.cfg.lua"
	if [ "$server" = montague ]; then printf 'Component "conference.montague.lit" "muc"\n' >> "$dir/prosody.cfg.lua"; fi
}

# Prosody's policy fields as one topology line: prosody_fields TLSMODE SASL BIDI
prosody_fields() {
	printf '"tls": "%s", "sasl_external": %s, "dialback": true, "dialback_errors": false, "bidi": %s' "$1" "$2" "$3"
}
capulet_json() { # capulet_json "CERT_NAMES" TRUSTED FIELDS [CHOICES]
	topo_server capulet "capulet.lit" "$1" "$2" "$3" "${4:-}"
}
montague_json() {
	topo_server montague "montague.lit conference.montague.lit" "$1" "$2" "$3" "${4:-}"
}

# start_servers SERVER...: start them, wait until each listens (10 s each at most); SPID[SERVER]
declare -A SPID
start_servers() {
	local s
	for s in "$@"; do start_prosody "$s"; SPID[$s]=$LASTPID; done
	for s in "$@"; do wait_ready "$s" "${SPID[$s]}"; done
	check_resolver
}

new_run() { # new_run ID NAME DESCRIPTION: a fresh run folder, the old files of this configuration gone
	CONFIG=$1; EXPECT=""; EXPECT_MAY=""; EXPECT_MAY_CHECK=""; EXPECT_MAY_WHY=""
	deadline "configuration $1 start"
	say "configuration $1 ($2): $3"
	rm -rf "$W/run"; mkdir -p "$W/run"; : > "$W/run/shell.txt"
	rm -f "$OUT/$1-$2".*
}

prosody_header() { echo "Prosody $PROSODY_VERSION: capulet.lit at $CAPULET_IP, montague.lit + conference.montague.lit at $MONTAGUE_IP$*"; }

message_lua() { # message_lua FROM TO ID: a line of Lua for the admin shell that sends a chat message
	local host=${1#*@}; host=${host%%/*}
	echo ">prosody.core_post_stanza(prosody.hosts['$host'], require'util.stanza'.message({from='$1', to='$2', type='chat', id='$3'}):text_tag('body','Wherefore art thou?'))"
}

# run_config ID NAME DESCRIPTION MONTAGUE_BIDI TLS: Prosody capulet.lit <-> Prosody montague.lit (a-d)
run_config() {
	local name=$2 description=$3 mbidi=$4 tls=$5 tlsmode=none sasl=false cn="" mn="" choices="$P_DB_FEATURE"
	new_run "$1" "$name" "$description"
	prosody_config capulet capulet.lit "$CAPULET_IP" 1 "$tls"
	prosody_config montague montague.lit "$MONTAGUE_IP" "$mbidi" "$tls"
	if [ "$tls" = ca ]; then
		tlsmode=required; sasl=true; cn="capulet.lit"; mn="montague.lit conference.montague.lit"
		choices="$P_PRE_TLS, $P_DB_FEATURE, $P_EXTERNAL"
	fi
	topology "prosody-lab-$1-$name" "$description; Prosody $PROSODY_VERSION: dialback without <errors/>" \
		"$(capulet_json "$cn" true "$(prosody_fields $tlsmode $sasl true)" "$choices")" \
		"$(montague_json "$mn" true "$(prosody_fields $tlsmode $sasl "$([ "$mbidi" = 1 ] && echo true || echo false)")" "$choices")" \
		> "$OUT/$1-$name.topology.json"
	start_servers capulet montague

	# Both directions between capulet.lit and montague.lit, an error bounce, and a second domain
	# pair towards the same server (the MUC component, which answers a ping with an error).
	ping_ok capulet capulet.lit montague.lit
	ping_ok montague montague.lit capulet.lit
	shell capulet "$(message_lua juliet@capulet.lit/balcony romeo@montague.lit lab-msg-1)" ||
		fail "$CONFIG: could not inject the message juliet@capulet.lit -> romeo@montague.lit"
	ping_any capulet capulet.lit conference.montague.lit
	# montague's error bounce for the message travels before the MUC's reply; wait for it (2 s at most)
	wait_wire "$W/run/montague/wire.tsv" "type='error'" 2 || true
	stop_pid "${SPID[capulet]}"    # capulet first: it closes its streams, montague answers the closes
	stop_pid "${SPID[montague]}"
	record_and_validate "$name" "$description" "$(prosody_header)" "$W/run/capulet/wire.tsv" "$W/run/montague/wire.tsv"
}

# h: capulet.lit requires TLS (CA certificate); montague.lit has no mod_tls (RW-28)
run_config_h() {
	local name=tls-required-vs-no-tls description="capulet.lit requires TLS (private CA), montague.lit has no TLS; bidi on both"
	new_run h "$name" "$description"
	prosody_config capulet capulet.lit "$CAPULET_IP" 1 ca
	prosody_config montague montague.lit "$MONTAGUE_IP" 1 0
	topology "prosody-lab-h-$name" "$description; Prosody $PROSODY_VERSION: dialback without <errors/>" \
		"$(capulet_json "capulet.lit" true "$(prosody_fields required true true)" \
			"$P_PRE_TLS, $P_DB_FEATURE, $P_EXTERNAL, \"starttls_unoffered\": \"try\"")" \
		"$(montague_json "" true "$(prosody_fields none false true)" \
			"$P_DB_FEATURE, \"unoffered_starttls_answer\": \"stream_error\"")" \
		> "$OUT/h-$name.topology.json"
	# RW-28: montague, on its own connection, ignores capulet's <starttls><required/> and sends
	# <db:result> in the clear (RFC 6120 §5.3.1, CORE-28)
	EXPECT='CORE-28|-> montague\.lit +<db:result'
	start_servers capulet montague
	# capulet's ping: capulet sends <starttls/> unoffered, montague closes with a stream error,
	# the ping comes back as an error at once
	ping_any capulet capulet.lit montague.lit
	# montague's ping: its db:result in the clear is never answered (capulet's connection back to
	# verify the key fails as above), so the ping would wait for Prosody's s2s timeout: it is
	# posted without waiting, and the lab waits for the db:result and capulet's failed
	# connection back (montague's second stream error), 5 s at most
	shell montague ">prosody.core_post_stanza(prosody.hosts['montague.lit'], require'util.stanza'.iq({type='get', from='montague.lit', to='capulet.lit', id='lab-ping-h'}):tag('ping', {xmlns='urn:xmpp:ping'}))" ||
		fail "h: could not post the ping montague.lit -> capulet.lit"
	wait_wire "$W/run/montague/wire.tsv" "outgoing.OUT.*<db:result" 3 || fail "h: montague.lit sent no db:result to capulet.lit"
	for _ in $(seq 20); do [ "$(grep -c "incoming.OUT.*<stream:error><unsupported-stanza-type" "$W/run/montague/wire.tsv")" -ge 2 ] && break; sleep 0.1; done
	stop_pid "${SPID[capulet]}"
	stop_pid "${SPID[montague]}"
	record_and_validate "$name" "$description" "$(prosody_header)" "$W/run/capulet/wire.tsv" "$W/run/montague/wire.tsv"
}

# i: three Prosody servers, STARTTLS + private CA + SASL EXTERNAL, bidi on all three
run_config_i() {
	local name=three-servers-muc description="three Prosody servers (verona.lit on $VERONA_IP), STARTTLS required, private CA, SASL EXTERNAL, bidi on all" f
	local choices="$P_PRE_TLS, $P_DB_FEATURE, $P_EXTERNAL"
	new_run i "$name" "$description"
	prosody_config capulet capulet.lit "$CAPULET_IP" 1 ca
	prosody_config montague montague.lit "$MONTAGUE_IP" 1 ca
	prosody_config verona verona.lit "$VERONA_IP" 1 ca
	f="$(prosody_fields required true true)"
	topology "prosody-lab-i-$name" "$description; Prosody $PROSODY_VERSION: dialback without <errors/>" \
		"$(capulet_json "capulet.lit" true "$f" "$choices")" \
		"$(montague_json "montague.lit conference.montague.lit" true "$f" "$choices")" \
		"$(topo_server verona "verona.lit" "verona.lit" true "$f" "$choices")" \
		> "$OUT/i-$name.topology.json"
	start_servers capulet montague verona
	ping_ok capulet capulet.lit montague.lit
	ping_ok montague montague.lit verona.lit
	ping_ok verona verona.lit capulet.lit
	ping_any verona verona.lit conference.montague.lit
	ping_ok montague conference.montague.lit verona.lit
	shell verona "$(message_lua mercutio@verona.lit/street balcony@conference.montague.lit lab-msg-2)" ||
		fail "$CONFIG: could not inject the message mercutio@verona.lit -> balcony@conference.montague.lit"
	ping_any capulet capulet.lit conference.montague.lit
	wait_wire "$W/run/montague/wire.tsv" "type='error'.*lab-msg-2|lab-msg-2.*type='error'" 2 || true
	stop_pid "${SPID[capulet]}"
	stop_pid "${SPID[verona]}"
	stop_pid "${SPID[montague]}"
	record_and_validate "$name" "$description" "$(prosody_header ", verona.lit at $VERONA_IP")" \
		"$W/run/capulet/wire.tsv" "$W/run/montague/wire.tsv" "$W/run/verona/wire.tsv"
}

# collision_lua FROM TO ID AT: Lua for the admin shell that sends an iq ping at the instant AT
# (seconds since the epoch, util.time's clock): both servers send at the same moment
collision_lua() {
	echo ">local st = require'util.stanza'; require'util.timer'.add_task(math.max(0, $4 - require'util.time'.now()), function() prosody.core_post_stanza(prosody.hosts['$1'], st.iq({type='get', from='$1', to='$2', id='$3'}):tag('ping', {xmlns='urn:xmpp:ping'})) end)"
}

# j: a collision. capulet.lit and montague.lit each send a ping to the other at the same
# instant, so each opens its own connection before the other's is authenticated.
run_config_j() {
	local name=collision description="simultaneous open: both servers ping each other at the same instant; STARTTLS required, private CA, SASL EXTERNAL, bidi on both"
	local choices="$P_PRE_TLS, $P_DB_FEATURE, $P_EXTERNAL" f at p1 p2 rc1=0 rc2=0
	new_run j "$name" "$description"
	prosody_config capulet capulet.lit "$CAPULET_IP" 1 ca
	prosody_config montague montague.lit "$MONTAGUE_IP" 1 ca
	f="$(prosody_fields required true true)"
	topology "prosody-lab-j-$name" "$description; Prosody $PROSODY_VERSION: dialback without <errors/>" \
		"$(capulet_json "capulet.lit" true "$f" "$choices")" \
		"$(montague_json "montague.lit conference.montague.lit" true "$f" "$choices")" \
		> "$OUT/j-$name.topology.json"
	# RW-30: a stanza routed between SASL <success/> and the receiving server's new features goes
	# out at once (the outgoing session counts as authenticated on <success/>); whether one is
	# routed in that window depends on timing, so the capture may be rejected there (CORE-10)
	EXPECT_MAY='CORE-10|-> (capulet|montague)\.lit +<iq'
	EXPECT_MAY_CHECK=stanza_before_post_sasl_features
	EXPECT_MAY_WHY="RW-30: Prosody sent a stanza after SASL <success/> before the new stream features"
	start_servers capulet montague
	# both admin commands at once, each scheduling its ping 2 s ahead, at the same instant
	at="$(date +%s.%N | awk '{ printf "%.3f", $1 + 2 }')"
	shell capulet "$(collision_lua capulet.lit montague.lit lab-coll-c "$at")" & p1=$!
	shell montague "$(collision_lua montague.lit capulet.lit lab-coll-m "$at")" & p2=$!
	wait "$p1" || rc1=$?; wait "$p2" || rc2=$?
	[ "$rc1$rc2" = 00 ] || fail "j: the admin shell could not schedule the pings (exits $rc1 $rc2)"
	wait_wire "$W/run/capulet/wire.tsv" "type='result'.*lab-coll-c|lab-coll-c.*type='result'" 6 ||
		fail "j: capulet.lit's ping (lab-coll-c) got no result"
	wait_wire "$W/run/montague/wire.tsv" "type='result'.*lab-coll-m|lab-coll-m.*type='result'" 3 ||
		fail "j: montague.lit's ping (lab-coll-m) got no result"
	# then traffic over whatever routes the collision left
	ping_ok capulet capulet.lit montague.lit
	ping_ok montague montague.lit capulet.lit
	stop_pid "${SPID[capulet]}"
	stop_pid "${SPID[montague]}"
	record_and_validate "$name" "$description" "$(prosody_header)" "$W/run/capulet/wire.tsv" "$W/run/montague/wire.tsv"
	# a collision: the second connection opened before the first one was authenticated
	awk '/^#/ || NF < 5 { next } !($2 in seen) { seen[$2] = 1; if (++n == 2) { second = NR } }
		index($0, "<success") || $0 ~ /<db:result[^>]*type=.valid/ { if (!auth) auth = NR }
		END { exit !(second && (!auth || second < auth)) }' "$OUT/j-$name.log" ||
		fail "j: no collision: the second connection opened after the first was authenticated (see $OUT/j-$name.log)"
}
