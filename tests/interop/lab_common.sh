# shellcheck shell=bash disable=SC2034  # sourced by prosody_lab.sh, which uses what it sets
# lab_common.sh: the interop lab's shared parts, sourced by prosody_lab.sh and probe_lab.sh
# (README.md beside them): messages and the deadline, clean-up, packages and the tools they
# give, the network namespace, certificates, Prosody
# processes and admin shell, topologies, and the verdict of one capture (recording, summary,
# `bidilab validate` against the topology, with its choices pinned and left open; expectations).
# Needs from prosody_lab.sh (and probe_lab.sh): ME, HERE, T0, LAB_DEADLINE, W, OUT, NS,
# NETNS_ETC, POLICY_MADE, EXTRA_PACKAGES, BIDILAB, PIDS, CONFIG.

fail() { printf '%s: FAIL: %s\n' "$ME" "$*" >&2; exit 1; }
say() { printf '[%5.1fs] %s\n' "$(elapsed)" "$*"; }
elapsed() { local now; now=$(date +%s%N); echo "$(( (now - T0) / 1000000 ))" | awk '{ printf "%.1f", $1 / 1000 }'; }
deadline() { [ "$(( ($(date +%s%N) - T0) / 1000000000 ))" -lt "$LAB_DEADLINE" ] || fail "the lab took longer than LAB_DEADLINE=${LAB_DEADLINE}s (at: $*)"; }

# ------------------------------------------------------------------ clean-up (on every exit)
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

# ------------------------------------------------------------------ packages
# Debian's prosody 0.12.3 (mod_s2s_bidi is part of it), lua-unbound (Prosody's resolver that
# can take names from a hosts file: README, "Name resolution"), openssl (the certificates),
# iproute2 (ip netns); ejabberd when a configuration needs it.
install_missing() {
	local p missing=()
	# shellcheck source=../support/apt_lock.sh
	. "$HERE/../support/apt_lock.sh"
	for p in prosody lua-unbound openssl iproute2 $EXTRA_PACKAGES; do
		apt_installed "$p" || missing+=("$p")
	done
	[ "${#missing[@]}" -eq 0 ] && return 0
	[ "${LAB_NO_INSTALL:-0}" = 1 ] && fail "missing Debian packages: ${missing[*]} (LAB_NO_INSTALL=1)"
	command -v apt-get >/dev/null || fail "missing packages ${missing[*]} and no apt-get (the lab expects Debian 12)"
	# One installer at a time (tests/support/apt_lock.sh): the browser tests may be installing.
	apt_lock || fail "waited 15 minutes for another installer (tests/support/apt_lock.sh)"
	say "installing ${missing[*]}"
	# apt would start the system-wide Prosody service; a policy-rc.d saying 101 prevents it
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		printf '#!/bin/sh\n# bidilab prosody_lab.sh: no service starts during its apt-get\nexit 101\n' > /usr/sbin/policy-rc.d
		chmod 755 /usr/sbin/policy-rc.d
		POLICY_MADE=1
	fi
	export DEBIAN_FRONTEND=noninteractive
	apt_update </dev/null >"$W/apt.log" 2>&1 ||
		echo "$ME: apt-get update failed (trying the install anyway): $(tail -1 "$W/apt.log")" >&2
	if ! apt_install "${missing[@]}" </dev/null >>"$W/apt.log" 2>&1; then
		tail -20 "$W/apt.log" >&2
		fail "apt-get install ${missing[*]} failed (log above)"
	fi
	apt_unlock
	if [ "$POLICY_MADE" = 1 ]; then rm -f /usr/sbin/policy-rc.d; POLICY_MADE=0; fi
	say "installed ${missing[*]}"
}

# check_tools CMD...: after install_missing, each CMD is there, lua5.4 loads lua-unbound and
# Prosody has mod_s2s_bidi; sets PROSODY_VERSION.
check_tools() {
	local cmd
	for cmd in "$@"; do
		command -v "$cmd" >/dev/null || fail "'$cmd' not found after installing the packages"
	done
	lua5.4 -e 'require "lunbound"' 2>/dev/null ||
		fail "lua-unbound does not load in lua5.4: Prosody would fall back to its own DNS client, which ignores the lab's hosts file"
	[ -f /usr/lib/prosody/modules/mod_s2s_bidi.lua ] || fail "this Prosody has no mod_s2s_bidi (Debian 12's 0.12.3 has)"
	PROSODY_VERSION="$(dpkg-query -W -f='${Version}' prosody)"
}

# ------------------------------------------------------------------ network namespace
# make_namespace: NS, a network namespace with only its own loopback interface (127.0.0.0/8), in
# which everything the lab runs lives: no packet can leave and nothing clashes with the host's
# port 5269. cleanup() deletes it.
make_namespace() {
	local err
	NS="bidilab-lab-$$"
	if ! err="$(ip netns add "$NS" 2>&1)"; then
		NS=""
		fail "cannot create a network namespace (ip netns add: $err); the lab needs one and does not skip"
	fi
	ip -n "$NS" link set lo up
	ip netns exec "$NS" ip -o addr show | awk '$2 != "lo" { bad = 1 } END { exit bad }' || fail "namespace $NS has an interface other than lo"
}

# ------------------------------------------------------------------ certificates
# $W/pki/DOMAIN.{crt,key}: signed by the lab's private CA ($W/pki/ca.crt), which the servers of
# c, d, f, h, i, j trust (montague's names its MUC domain too). $W/pki/self/DOMAIN.{crt,key}:
# self-signed, for g (nobody trusts them). P-256 keys: RSA key generation alone took seconds.
make_pki() {
	local d sans
	mkdir -p "$W/pki/self"
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$W/pki/ca.key" -out "$W/pki/ca.crt" -days 30 \
		-subj "/CN=bidilab interop lab CA" >/dev/null 2>&1
	for d in capulet.lit montague.lit verona.lit; do
		sans="DNS:$d"; [ "$d" = montague.lit ] && sans="$sans,DNS:conference.montague.lit"
		printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth,clientAuth\n' \
			"$sans" > "$W/pki/$d.ext"
		openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$W/pki/$d.key" -out "$W/pki/$d.csr" -subj "/CN=$d" >/dev/null 2>&1
		openssl x509 -req -in "$W/pki/$d.csr" -CA "$W/pki/ca.crt" -CAkey "$W/pki/ca.key" -CAcreateserial \
			-out "$W/pki/$d.crt" -days 30 -extfile "$W/pki/$d.ext" >/dev/null 2>&1
	done
	for d in capulet.lit verona.lit; do
		openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$W/pki/self/$d.key" \
			-out "$W/pki/self/$d.crt" -days 30 -subj "/CN=$d" -addext "subjectAltName=DNS:$d" >/dev/null 2>&1
	done
	if [ ! -s "$W/pki/verona.lit.crt" ] || [ ! -s "$W/pki/self/verona.lit.crt" ]; then fail "openssl did not make the lab's certificates"; fi
}

# ------------------------------------------------------------------ Prosody processes
start_prosody() { # start_prosody SERVER -> LASTPID
	# not through a function or subshell: $! must be Prosody itself (ip netns exec execs it)
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

check_resolver() { # Prosody must resolve through libunbound (the lab's hosts file)
	if grep -q "legacy DNS API\|Falling back to" "$W"/run/*/prosody.log 2>/dev/null; then fail "$CONFIG: Prosody is not resolving with libunbound"; fi
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
	echo "\$ [$server] prosodyctl shell $*" >> "$W/run/shell.txt"
	timeout 15 ip netns exec "$NS" prosodyctl --config "$W/run/$server/prosody.cfg.lua" shell "$@" \
		</dev/null >>"$W/run/shell.txt" 2>&1 || rc=$?
	echo "(exit $rc)" >> "$W/run/shell.txt"
	return "$rc"
}

ping_ok() { # ping_ok SERVER FROM TO: an iq ping that must get its result
	shell "$1" xmpp ping "$2" "$3" || fail "$CONFIG: iq ping $2 -> $3 got no result ($(tail -2 "$W/run/shell.txt" | head -1))"
}

ping_any() { # ping_any SERVER FROM TO: an iq ping that must get an answer (a result or an error) within 15 s
	local rc=0
	shell "$1" xmpp ping "$2" "$3" || rc=$?
	[ "$rc" = 124 ] && fail "$CONFIG: iq ping $2 -> $3: no answer within 15 s"
	return 0
}

wait_wire() { # wait_wire FILE ERE SECONDS: until a row of FILE matches (bounded); 1 if it never did
	local i
	for ((i = 0; i < $3 * 10; i++)); do grep -q -E "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
	return 1
}

# ------------------------------------------------------------------ topologies
# The choices the specs leave open (topologies/README.md, "Choices the specs leave open"): each
# topology pins them to what the servers did, and every capture is validated twice: against
# BASE.topology.json (pinned) and against BASE.open.topology.json, the same servers with the
# choices left out, which `bidilab validate` must accept just as well by searching their branches.
CHOICE_FIELDS="features_before_tls|dialback_feature|sasl_external_offer|after_sasl_failure|starttls_unoffered|unoffered_starttls_answer|invalid_dialback_answer|offered_starttls_answer|bidi_request|unsupported_dialback_error"
# What Prosody 0.12.3 did, field by field, in the lab's captures
P_PRE_TLS='"features_before_tls": "all"'           # <dialback/> (and never bidi) beside <starttls><required/>
P_DB_FEATURE='"dialback_feature": "advertised"'     # <dialback xmlns='urn:xmpp:features:dialback'/>, without <errors/>
P_EXTERNAL='"sasl_external_offer": "when_acceptable"'

json_list() { local s="" x; for x in "$@"; do s="$s${s:+, }\"$x\""; done; printf '%s' "$s"; }

# topo_server NAME "DOMAINS" "CERT_NAMES" TRUSTED "POLICY FIELDS" ["CHOICE FIELDS"]: one server;
# the choice fields sit on a line of their own, each ending in a comma, so they can be left out
topo_server() {
	local name=$1 domains=$2 cnames=$3 trusted=$4 fields=$5 choices=${6:-}
	# shellcheck disable=SC2086
	printf '    { "name": "%s", "domains": [%s],' "$name" "$(json_list $domains)"
	# shellcheck disable=SC2086
	[ -n "$cnames" ] && printf ' "certificate": { "names": [%s], "trusted": %s },' "$(json_list $cnames)" "$trusted"
	printf '\n'
	[ -n "$choices" ] && printf '      %s,\n' "$choices"
	printf '      %s }' "$fields"
}

# topology NAME DESCRIPTION SERVER_JSON...: the whole file on stdout
topology() {
	local name=$1 description=$2 sep="" s; shift 2
	printf '{\n  "name": "%s",\n  "description": "%s (written by tests/interop/prosody_lab.sh)",\n  "servers": [\n' "$name" "$description"
	for s in "$@"; do printf '%s%s' "$sep" "$s"; sep=$',\n'; done
	printf '\n  ]\n}\n'
}

# topology_stanzas STANZA_JSON...: stdin a topology as topology() writes it, stdout the same
# with a "stanzas" array (one argument, one stanza object) and the writing script named as $ME
# (probe_lab.sh: the stanzas bidilab probe's scenarios send)
topology_stanzas() {
	local sep="" s
	sed '$d' | sed -e '$s/$/,/' -e "s|(written by tests/interop/prosody_lab.sh)|(written by tests/interop/$ME.sh)|"
	printf '  "stanzas": [\n'
	for s in "$@"; do printf '%s    %s' "$sep" "$s"; sep=$',\n'; done
	printf '\n  ]\n}\n'
}

open_topology() { # open_topology IN OUT: the same servers with the choices left open
	sed -E "s/\"($CHOICE_FIELDS)\": *\"[a-z_]*\", *//g; /^ *$/d" "$1" > "$2"
	! grep -q -E "\"($CHOICE_FIELDS)\"" "$2" || fail "$CONFIG: could not leave the choices of $1 open"
}

# ------------------------------------------------------------------ one capture's verdict
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
		if ($3 == "->" && index($0, "<starttls")) tls[c] = "asked"
		if ($3 == "<-" && index($0, "<proceed")) tls[c] = "yes"
		if ($3 == "<-" && index($0, "<success")) auth[c] = auth[c] "+SASL-EXTERNAL"
		if ($3 == "<-" && index($0, "<failure") && index($0, "xmpp-sasl")) auth[c] = auth[c] "+SASL-failure"
		if ($3 == "<-" && $0 ~ /<db:result[^>]*type=.valid/) auth[c] = auth[c] "+dialback"
		if ($3 == "<-" && $0 ~ /<db:result[^>]*type=.(invalid|error)/) auth[c] = auth[c] "+dialback-refused"
		if ($3 == "->" && index($0, "<db:verify") && $0 !~ /type=/) verify[c]++
		if (index($0, "<stream:error>")) { e = $0; sub(/.*<stream:error><?/, "", e); sub(/[ \/>].*/, "", e); err[c] = err[c] " " $3 e }
		s = $0; k = gsub(/<(iq|message|presence)[ >]/, "", s)
		if ($3 == "->") fwd[c] += k; else back[c] += k
	}
	END {
		printf "%d connection(s)\n", n
		for (i = 1; i <= n; i++) {
			c = order[i]; a = auth[c]; sub(/^\+/, "", a)
			printf "  %s %s: TLS %s, bidi %s, auth %s, db:verify requests %d, stanzas ->%d <-%d%s\n", c, hdr[c],
				(c in tls) ? tls[c] : "no",
				(c in requested) ? "requested" : ((c in offered) ? "offered, not requested" : "not offered"),
				(a == "") ? "none" : a, verify[c], fwd[c], back[c], (c in err) ? ", stream errors" err[c] : ""
		}
	}' "$1"
}

# validate_one TOPOLOGY LOG OUT_TXT: runs bidilab; sets VRC (0 accepted, 1 rejected, 2 unreadable)
# and VFIRST (the first finding: "LINE [RULES] message", empty when accepted)
validate_one() {
	VRC=0; VTXT=$3
	deadline "$CONFIG: bidilab validate"
	timeout 30 "$BIDILAB" validate "$1" "$2" > "$3" 2>&1 || VRC=$?
	VFIRST="$(grep -m1 -E '^ +[^ ].*:[0-9]+: \[' "$3" | sed -E 's/^ *[^ ]*:([0-9]+): /\1 /' | cut -c1-600)" || true
}

# expectation_met EXPECTATION LOG: the first finding (VFIRST) is the expected one: EXPECTATION
# is "RULE|ERE", RULE among the finding's rule IDs and the capture's line matching ERE
expectation_met() {
	local rule=${1%%|*} ere=${1#*|} line rules text
	[ -n "$VFIRST" ] || return 1
	line=${VFIRST%% *}; rules=${VFIRST#* [}; rules=${rules%%]*}
	case ", $rules, " in *", $rule, "*) ;; *) return 1 ;; esac
	text="$(sed -n "${line}p" "$2")"
	grep -q -E -- "$ere" <<< "$text"  # not printf | grep -q: grep's early exit can kill printf (pipefail)
}

# stanza_before_post_sasl_features LOG LINE: is LINE a stanza the initiating server of its
# connection wrote after the receiving server's SASL <success/> and its own restart header, but
# before the receiving server's new stream header (RW-30 in tests/interop/README.md)?
stanza_before_post_sasl_features() {
	awk -v L="$2" '/^#/ || NF < 5 { next }
		NR == L { if ($3 != "->" || $0 !~ /<(iq|message|presence)[ >\/]/) exit 1; c = $2; found = 1; exit }
		{ conn[NR] = $2; arrow[NR] = $3; text[NR] = $0 }
		END {
			if (!found) exit 1
			for (i = L - 1; i > 0; i--) {
				if (conn[i] != c) continue
				if (arrow[i] == "<-" && text[i] ~ /<stream:stream/) exit 1   # the new header came first
				if (arrow[i] == "->" && text[i] ~ /<stream:stream/) restarted = 1
				if (arrow[i] == "<-" && text[i] ~ /<success[ >\/]/) exit !restarted
			}
			exit 1
		}' "$1"
}

# verdict TOPOLOGY LOG EXPECTATION LABEL [WHY]: is this validator outcome the one the lab expects?
# EXPECTATION is empty (the capture must be accepted) or "RULE|ERE" (it must be rejected there,
# for the reason WHY: a real server's deviation unless said otherwise). A configuration whose
# server deviates only in some timings sets EXPECT_MAY="RULE|ERE" instead (accepted, or rejected
# there), EXPECT_MAY_CHECK (a function LOG LINE that confirms the rejected line is that
# deviation) and EXPECT_MAY_WHY (what the deviation is).
# Sets VERDICT (a sentence); returns 1 when the outcome is not the expected one.
verdict() {
	local expect=$3 label=$4 why=${5:-a real deviation}
	case $VRC in
		0) if [ -z "$expect" ]; then VERDICT="$label: accepted"; return 0; fi
		   VERDICT="$label: accepted, but the lab expects a rejection [${expect%%|*}] at a line matching /${expect#*|}/"; return 1 ;;
		1) if [ -n "$expect" ] && expectation_met "$expect" "$2"; then
			   VERDICT="$label: rejected as expected ($why) at line $VFIRST"; return 0
		   fi
		   if [ -z "$expect" ] && [ -n "${EXPECT_MAY:-}" ] && expectation_met "$EXPECT_MAY" "$2" &&
			   { [ -z "${EXPECT_MAY_CHECK:-}" ] || "$EXPECT_MAY_CHECK" "$2" "${VFIRST%% *}"; }; then
			   VERDICT="$label: rejected at line $VFIRST: the timing-dependent deviation this configuration allows (${EXPECT_MAY_WHY:-see tests/interop/README.md})"; return 0
		   fi
		   VERDICT="$label: rejected at line ${VFIRST:-?}${expect:+ (the lab expects [${expect%%|*}] at a line matching /${expect#*|}/)}"; return 1 ;;
		*) VERDICT="$label: could not be read (exit $VRC): $(head -1 "$VTXT")"; return 1 ;;
	esac
}

# record_and_validate NAME DESCRIPTION HEADER_LINE TSV...: the servers' rows -> BASE.log, its
# summary, and bidilab's verdicts against BASE.topology.json (written before) and its copy with
# the choices left open. EXPECT (set by the configuration, "RULE|ERE" or empty) is the expected
# outcome of both.
record_and_validate() {
	local name=$1 description=$2 header=$3 base="$OUT/$CONFIG-$1" ok=0 pinned; shift 3
	cp "$W/run/shell.txt" "$base.shell.txt"
	sort -s -t "$(printf '\t')" -k1,1n "$@" > "$W/run/rows.tsv" 2>/dev/null ||
		fail "$CONFIG: no s2s bytes were recorded (mod_bidilab_wirelog wrote nothing)"
	{
		echo "# bidilab interop lab, configuration $CONFIG ($name): $description"
		echo "# $header"
		echo "# recorded by mod_bidilab_wirelog (after TLS), merged by wirelog.awk; format: docs/wire-log.md"
		awk -F '\t' -f "$HERE/wirelog.awk" "$W/run/rows.tsv" "$W/run/rows.tsv" || true
	} > "$base.log"
	if ! grep -q '^ *[0-9]' "$base.log"; then fail "$CONFIG ($name): the capture $base.log is empty"; fi
	summary "$base.log" > "$base.summary.txt"
	sed 's/^/    /' "$base.summary.txt"
	open_topology "$base.topology.json" "$base.open.topology.json"

	validate_one "$base.topology.json" "$base.log" "$base.validate.txt"
	verdict "$base.topology.json" "$base.log" "${EXPECT:-}" "choices pinned" || ok=1
	pinned=$VERDICT
	validate_one "$base.open.topology.json" "$base.log" "$base.open.validate.txt"
	verdict "$base.open.topology.json" "$base.log" "${EXPECT:-}" "choices open" || ok=1
	printf '%s\n%s\n' "$pinned" "$VERDICT" > "$base.verdict.txt"
	say "configuration $CONFIG: $pinned"
	sed '1d; s/^/    /' "$base.verdict.txt"
	if [ "$ok" != 0 ]; then
		sed 's/^/    /' "$base.validate.txt" "$base.open.validate.txt" >&2
		fail "$CONFIG ($name): $(paste -sd ';' "$base.verdict.txt") ($base.log)"
	fi
}
