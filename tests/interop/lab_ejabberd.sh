# shellcheck shell=bash disable=SC2034  # sourced by prosody_lab.sh, which uses what it sets
# lab_ejabberd.sh: the interop lab's configurations with ejabberd (e, f, g), sourced by
# prosody_lab.sh (README.md beside it). verona.lit is Debian 12's ejabberd 23.01 (no XEP-0288)
# on 127.0.0.4; capulet.lit is Prosody (bidi on) on 127.0.0.2. Only Prosody records: ejabberd's
# writes are what Prosody read, marked "(peer)".
#
# ejabberd looks up SRV records with Erlang's resolver, which the inetrc below points at
# 127.0.0.1 (nothing listens there: refused, so it falls back to port 5269), and A records with
# libc's getaddrinfo, which reads /etc/hosts: "ip netns exec" bind-mounts the files in
# /etc/netns/NAMESPACE/ over /etc/hosts and /etc/resolv.conf for the processes it starts, so
# the lab writes its hosts there (removed at the end; the host's files are not touched).
# ejabberd runs without epmd (ERL_DIST_PORT), as the user ejabberd (ejabberdctl switches to it
# when started as root).

# ejabberd_config TLS: TLS none (s2s_use_starttls: false), ca (required, the lab's CA
# certificate, and that CA trusted) or self (required, a self-signed certificate, no CA)
ejabberd_config() {
	local tls=$1 dir="$W/run/ejabberd" certs="certfiles: []" starttls=false cafile=""
	mkdir -p "$dir/logs" "$dir/spool"
	case $tls in
		ca) cat "$W/pki/verona.lit.crt" "$W/pki/verona.lit.key" > "$dir/verona.pem"; cp "$W/pki/ca.crt" "$dir/ca.crt"
		    cafile="s2s_cafile: \"$dir/ca.crt\"" ;;
		self) cat "$W/pki/self/verona.lit.crt" "$W/pki/self/verona.lit.key" > "$dir/verona.pem" ;;
	esac
	if [ "$tls" != none ]; then certs="certfiles: [\"$dir/verona.pem\"]"; starttls=required; fi
	cat > "$dir/ejabberd.yml" <<-EOF
		# bidilab interop lab: verona.lit on $VERONA_IP (tls=$tls)
		hosts:
		  - verona.lit
		loglevel: info
		log_rotate_count: 0
		$certs
		$cafile
		listen:
		  -
		    port: 5269
		    ip: "$VERONA_IP"
		    module: ejabberd_s2s_in
		s2s_use_starttls: $starttls
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
	chmod 600 "$dir"/*.pem 2>/dev/null || true
	if [ -z "$NETNS_ETC" ]; then
		if [ -d /etc/netns ]; then NETNS_ETC=made; else NETNS_ETC=made-parent; fi
		mkdir -p "/etc/netns/$NS"
		{ echo "127.0.0.1 localhost"; cat "$W/hosts"; } > "/etc/netns/$NS/hosts"
		echo "nameserver 127.0.0.1" > "/etc/netns/$NS/resolv.conf"
	fi
	# ejabberdctl for the lab's node, in the namespace (an array, not a function: started with
	# &, a function would be a subshell, and $! not the process the lab has to stop)
	EJABBERDCTL=(ip netns exec "$NS" ejabberdctl --config-dir "$dir" --ctl-config "$dir/ejabberdctl.cfg"
		--config "$dir/ejabberd.yml" --logs "$dir/logs" --spool "$dir/spool")
}

# start_ejabberd: EJ_CTL (the ejabberdctl process) and EJ_BEAM (the Erlang VM), listening (30 s at most)
start_ejabberd() {
	local dir="$W/run/ejabberd"
	# ejabberdctl runs the Erlang VM under su: "timeout" (bounded by the lab's deadline) is the
	# PID the lab keeps, as SIGTERM to it reaches its whole process group, the VM included; the
	# VM's own PID (its pid file) is stopped first
	timeout "$LAB_DEADLINE" "${EJABBERDCTL[@]}" foreground </dev/null >"$dir/stdout.log" 2>&1 &
	EJ_CTL=$!; EJ_BEAM=""; PIDS+=("$EJ_CTL")
}
wait_ejabberd() {
	local dir="$W/run/ejabberd"
	for _ in $(seq 300); do       # 30 s: the Erlang VM takes a few seconds
		[ -z "$EJ_BEAM" ] && [ -s "$dir/ejabberd.pid" ] && { EJ_BEAM="$(cat "$dir/ejabberd.pid")"; PIDS=("$EJ_BEAM" "${PIDS[@]}"); }
		grep -q "Start accepting TCP connections at $VERONA_IP:5269" "$dir/logs/ejabberd.log" 2>/dev/null && break
		kill -0 "$EJ_CTL" 2>/dev/null || { tail -20 "$dir/stdout.log" "$dir/logs/ejabberd.log" >&2 2>/dev/null; fail "$CONFIG: ejabberd exited at start-up (log above)"; }
		sleep 0.1
	done
	grep -q "Start accepting TCP connections at $VERONA_IP:5269" "$dir/logs/ejabberd.log" 2>/dev/null ||
		{ tail -20 "$dir/logs/ejabberd.log" >&2 2>/dev/null; fail "$CONFIG: ejabberd not listening on $VERONA_IP:5269 after 30 s (log above)"; }
	[ -n "$EJ_BEAM" ] || fail "$CONFIG: ejabberd wrote no pid file ($dir/ejabberd.pid)"
}

ejabberd_send_ping() { # ejabberd_send_ping ID: verona.lit -> capulet.lit, its answer awaited (5 s at most)
	local rc=0
	deadline "$CONFIG: ejabberdctl send_stanza"
	echo "\$ ejabberdctl send_stanza verona.lit capulet.lit <iq ping id='$1'>" >> "$W/run/shell.txt"
	timeout 20 "${EJABBERDCTL[@]}" send_stanza verona.lit capulet.lit \
		"<iq type='get' id='$1' from='verona.lit' to='capulet.lit'><ping xmlns='urn:xmpp:ping'/></iq>" \
		</dev/null >>"$W/run/shell.txt" 2>&1 || rc=$?
	echo "(exit $rc)" >> "$W/run/shell.txt"
	[ "$rc" = 0 ] || fail "$CONFIG: ejabberdctl send_stanza verona.lit -> capulet.lit failed (exit $rc)"
	# capulet answers over its connection to verona.lit
	wait_wire "$W/run/capulet/wire.tsv" "id='$1'.*type='result'|type='result'.*id='$1'" 5 ||
		fail "$CONFIG: ejabberd's ping verona.lit -> capulet.lit ($1) got no result from capulet.lit"
}

# verona_json TLSMODE "CERT_NAMES" TRUSTED SASL [CHOICES]: ejabberd 23.01 as the model sees it:
# no XEP-0288, dialback with <errors/>, db:verify over a connection opened for it
verona_json() {
	topo_server verona "verona.lit" "$2" "$3" \
		"\"tls\": \"$1\", \"sasl_external\": $4, \"dialback\": true, \"dialback_errors\": true, \"bidi\": false, \"verify_only_connections\": true" \
		"${5:-}"
}

# run_config_ejabberd ID NAME DESCRIPTION TLS: capulet.lit (Prosody, bidi) <-> verona.lit (ejabberd)
#   TLS none: dialback in the clear (e); ca: both STARTTLS required, certificates from the lab's
#   CA, both trust it (f); self: both STARTTLS required, self-signed certificates, Prosody allows
#   dialback with an untrusted certificate (s2s_secure_auth = false) (g)
run_config_ejabberd() {
	local name=$2 description=$3 tls=$4 cap ejv cj vj
	ejv="ejabberd $(dpkg-query -W -f='${Version}' ejabberd)"
	local ej_choices='"features_before_tls": "starttls_only", "dialback_feature": "advertised", "sasl_external_offer": "always"'
	new_run "$1" "$name" "$description"
	chmod 755 "$W" "$W/run"       # ejabberd runs as the user ejabberd
	case $tls in
		none) prosody_config capulet capulet.lit "$CAPULET_IP" 1 0
		      cj="$(capulet_json "" true "$(prosody_fields none false true)" "$P_DB_FEATURE")"
		      vj="$(verona_json none "" true false '"dialback_feature": "advertised"')" ;;
		ca)   prosody_config capulet capulet.lit "$CAPULET_IP" 1 ca
		      cj="$(capulet_json "capulet.lit" true "$(prosody_fields required true true)" "$P_PRE_TLS, $P_DB_FEATURE, $P_EXTERNAL")"
		      vj="$(verona_json required "verona.lit" true true "$ej_choices")" ;;
		self) prosody_config capulet capulet.lit "$CAPULET_IP" 1 self 1 0
		      cj="$(capulet_json "capulet.lit" false "$(prosody_fields required true true)" \
		            "$P_PRE_TLS, $P_DB_FEATURE, $P_EXTERNAL, \"after_sasl_failure\": \"dialback\"")"
		      vj="$(verona_json required "verona.lit" false true "$ej_choices")" ;;
	esac
	topology "prosody-lab-$1-$name" "$description; Prosody $PROSODY_VERSION: dialback without <errors/>; $ejv: no XEP-0288, dialback with <errors/>, db:verify over a connection opened for it" \
		"$cj" "$vj" > "$OUT/$1-$name.topology.json"
	ejabberd_config "$tls"
	start_prosody capulet; cap=$LASTPID
	start_ejabberd
	wait_ready capulet "$cap"
	check_resolver
	wait_ejabberd

	ping_ok capulet capulet.lit verona.lit
	ejabberd_send_ping "lab-ej-$1"
	stop_pid "$cap"       # Prosody closes its streams, ejabberd answers the closes
	stop_pid "$EJ_BEAM"   # the Erlang VM stops on SIGTERM (init:stop)
	stop_pid "$EJ_CTL"    # ejabberdctl returns once the VM is gone
	record_and_validate "$name" "$description" "Prosody $PROSODY_VERSION: capulet.lit at $CAPULET_IP; $ejv: verona.lit at $VERONA_IP" \
		"$W/run/capulet/wire.tsv"
}
