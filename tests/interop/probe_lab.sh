#!/usr/bin/env bash
# probe_lab.sh: the interop lab of `bidilab probe`. A real Prosody 0.12.3 from Debian 12
# (capulet.lit on 127.0.0.2:5269) runs in a private network namespace; `bidilab probe` plays the
# other server of the topology (montague.lit, listening on 127.0.0.3:5269, where Prosody's
# dialback connections to montague.lit arrive), runs its scenarios against Prosody and judges
# each: conforms, deviates (the rules broken, the line of the scenario's wire log) or
# inconclusive. See README.md beside this script ("probe_lab.sh"); it shares lab_common.sh and
# lab_prosody.sh with prosody_lab.sh.
#
#   probe_lab.sh BIDILAB [OUT_DIR]
#
#   BIDILAB   the bidilab executable (CTest passes $<TARGET_FILE:bidilab>)
#   OUT_DIR   where CONFIG.topology.json, CONFIG.probe.txt (the probe's table), CONFIG.probe.json,
#             CONFIG.probe.stderr.txt, CONFIG-wire/SCENARIO.log (the probe's wire logs),
#             CONFIG.prosody-wire.log (the same traffic as Prosody recorded it), CONFIG.summary.txt,
#             CONFIG.prosody.log (Prosody's debug log) and CONFIG.verdict.txt go; default: a new
#             folder under /tmp
#
# Configurations (capulet.lit: Prosody on 127.0.0.2; montague.lit: bidilab on 127.0.0.3):
#   p1  dialback, no TLS, mod_s2s_bidi on Prosody    p2  as p1, no bidi on Prosody
#   p3  STARTTLS required, the lab's CA, SASL EXTERNAL, bidi on Prosody (the probe: --pki)
#   p4  as p3, no bidi on Prosody
#   p5  verona.lit: ejabberd 23.01 (no XEP-0288) on 127.0.0.4, dialback, no TLS
#   p6  as p5, STARTTLS required, the lab's CA, SASL EXTERNAL
#   p7  as p1, and verona.lit played too (on 127.0.0.4): attack-header-from alone, montague's
#       header naming verona.lit; Prosody's admin shell sends a ping to verona.lit once the
#       stream is authorized (--send-command): which connection carries it? (REAL-WORLD RW-22)
# In every topology montague.lit has bidi: the played server may ask for it.
#
# Environment:
#   LAB_CONFIGS="p1 p2"   which configurations to run (default: all, p1-p7)
#   LAB_KEEP=1            keep the work folder (Prosody's config and raw rows)
#   LAB_NO_INSTALL=1      fail instead of running apt-get when a package is missing
#   LAB_DEADLINE=420      seconds the lab may take once the packages are there (each probe
#                         gets 90 s, or what is left of the deadline if that is less)
#
# Needs root (apt-get, ip netns, port 5269). Exit 0: every scenario of every configuration
# conforms, or deviates (or is inconclusive) exactly as its configuration declares
# (EXPECT_DEVIATION); one line per real server, `prosody VERSION: probe: N scenarios, ...`,
# and the last line is then `probe: N scenarios, C conform, D deviate, I inconclusive`
# (totals). 1: something failed, and the last line, on stderr, says what
# ("probe_lab: FAIL: ..."): an undeclared deviation or inconclusive scenario, a declared one
# that did not happen, the probe's bad-input exit (2), a crash or timeout, a report that
# contradicts itself, Prosody not starting, the deadline. 2: bad usage.
set -Eeuo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ME=probe_lab
CAPULET_IP=127.0.0.2     # capulet.lit: Prosody, the server under test
MONTAGUE_IP=127.0.0.3    # montague.lit (and conference.montague.lit): bidilab probe listens here
VERONA_IP=127.0.0.4      # verona.lit: ejabberd (p5, p6) or a second played server (p7)
ALL_CONFIGS="p1 p2 p3 p4 p5 p6 p7"
LAB_CONFIGS="${LAB_CONFIGS:-$ALL_CONFIGS}"
LAB_DEADLINE="${LAB_DEADLINE:-420}"
PROBE_TIMEOUT=120        # seconds for one `bidilab probe` run (less when the deadline is nearer)
W=""; NS=""; NETNS_ETC=""; POLICY_MADE=0; PIDS=(); CONFIG=""; T0=$(date +%s%N)
PROBLEMS=(); TOTAL_N=0; TOTAL_C=0; TOTAL_D=0; TOTAL_I=0; SERVERS_SEEN=
# shellcheck source=lab_common.sh
. "$HERE/lab_common.sh"
# shellcheck source=lab_prosody.sh
. "$HERE/lab_prosody.sh"
# shellcheck source=lab_ejabberd.sh
. "$HERE/lab_ejabberd.sh"

if [ $# -lt 1 ] || [ $# -gt 2 ]; then echo "usage: $0 BIDILAB [OUT_DIR]" >&2; exit 2; fi
BIDILAB="$1"
[ -x "$BIDILAB" ] || fail "bidilab executable '$BIDILAB' not found (build it first: cmake --build BUILD --target bidilab)"
BIDILAB="$(cd "$(dirname "$BIDILAB")" && pwd)/$(basename "$BIDILAB")"
OUT="${2:-}"
for c in $LAB_CONFIGS; do
	case " $ALL_CONFIGS " in *" $c "*) ;; *) fail "unknown configuration '$c' in LAB_CONFIGS (known: $ALL_CONFIGS)" ;; esac
done
EXTRA_PACKAGES=""; command -v python3 >/dev/null || EXTRA_PACKAGES=python3   # reads the probe's JSON
case " $LAB_CONFIGS " in *" p5 "*|*" p6 "*) EXTRA_PACKAGES="$EXTRA_PACKAGES ejabberd" ;; esac
[ "$(id -u)" = 0 ] || fail "needs root (apt-get, ip netns add, Prosody on port 5269); it does not skip: run it as root, or exclude it (ctest -LE interop)"

trap cleanup EXIT
trap 'printf "%s: FAIL: interrupted (SIGINT)\n" "$ME" >&2; exit 130' INT
trap 'printf "%s: FAIL: interrupted (SIGTERM)\n" "$ME" >&2; exit 143' TERM
trap 'fail "unexpected error (exit $?) at line $LINENO: $BASH_COMMAND"' ERR

W="$(mktemp -d /tmp/bidilab-probe-lab.XXXXXX)"
if [ -z "$OUT" ]; then OUT="$(mktemp -d /tmp/bidilab-probe-lab-out.XXXXXX)"; fi
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"

# ------------------------------------------------------------------ packages
install_missing
check_tools prosody prosodyctl lua5.4 openssl ip timeout python3   # lab_common.sh
T0=$(date +%s%N)       # the deadline counts from here: installing is not the lab

make_namespace   # lab_common.sh: NS, loopback only
say "Prosody $PROSODY_VERSION; $("$BIDILAB" --version 2>/dev/null | head -1 || true); network namespace $NS (lo only)"

# ------------------------------------------------------------------ work folder
# Name resolution as in prosody_lab.sh (README.md, "Name resolution, Prosody"): libunbound reads
# the lab's hosts file, so Prosody's connections to montague.lit go to 127.0.0.3:5269, where the
# probe listens; SRV lookups are NXDOMAIN (port 5269), no query leaves the namespace.
mkdir -p "$W/plugins"
cp "$HERE/mod_bidilab_wirelog.lua" "$W/plugins/"
printf '%s capulet.lit\n%s montague.lit conference.montague.lit\n%s verona.lit\n' "$CAPULET_IP" "$MONTAGUE_IP" "$VERONA_IP" > "$W/hosts"
mkdir -p "$W/pki"
chmod 700 "$W/pki"
# The CA and the servers' certificates are the probe's own (`bidilab probe --make-pki`, from a
# topology that names them as lab_common.sh's make_pki does): Prosody and ejabberd are given
# certificates the probe made, and the probe presents montague.lit's.
make_probe_pki() {
	cat > "$W/pki.topology.json" <<-'JSON'
	{ "name": "probe-lab-pki", "description": "the probe lab's certificates",
	  "servers": [
	    { "name": "capulet", "domains": ["capulet.lit"], "tls": "required", "certificate": { "names": ["capulet.lit"] } },
	    { "name": "montague", "domains": ["montague.lit", "conference.montague.lit"], "tls": "required",
	      "certificate": { "names": ["montague.lit", "conference.montague.lit"] } },
	    { "name": "verona", "domains": ["verona.lit"], "tls": "required", "certificate": { "names": ["verona.lit"] } } ],
	  "stanzas": [] }
	JSON
	"$BIDILAB" probe "$W/pki.topology.json" --make-pki "$W/pki" > "$W/pki.txt" 2>&1 ||
		fail "bidilab probe --make-pki failed: $(tail -2 "$W/pki.txt" | paste -sd ' ')"
	for f in ca.crt capulet.lit.crt capulet.lit.key montague.lit.crt montague.lit.key verona.lit.crt verona.lit.key; do
		[ -s "$W/pki/$f" ] || fail "bidilab probe --make-pki wrote no $W/pki/$f"
	done
	say "certificates: bidilab probe --make-pki (a private CA; capulet.lit, montague.lit, verona.lit)"
}
case " $LAB_CONFIGS " in *" p3 "*|*" p4 "*|*" p6 "*) make_probe_pki ;; esac

# ------------------------------------------------------------------ the probe's report
# probe_rows JSON: the report as tab-separated rows ("-" for an empty field): first
# "verdict VERDICT", then one per scenario: NAME VERDICT RULES LINE MESSAGE. Exit 1, with the
# reason on stderr, when the file is not the report `bidilab probe --json` promises.
probe_rows() {
	python3 - "$1" <<-'EOF'
		import json, re, sys

		def bad(why):
		    print(why, file=sys.stderr)
		    sys.exit(1)

		def field(value):  # one line, no tabs, "-" when empty
		    text = " ".join(str(value).split())
		    return text if text else "-"

		try:
		    with open(sys.argv[1], encoding="utf-8") as f:
		        report = json.load(f)
		except (OSError, ValueError) as e:
		    bad(f"not readable as JSON: {e}")
		verdicts = ("conforms", "deviates", "inconclusive")
		if not isinstance(report, dict):
		    bad("not a JSON object")
		if report.get("verdict") not in verdicts:
		    bad(f'"verdict" is {report.get("verdict")!r}, not one of {", ".join(verdicts)}')
		scenarios = report.get("scenarios")
		if not isinstance(scenarios, list) or not scenarios:
		    bad('"scenarios" is not a non-empty array')
		print("verdict\t" + report["verdict"])
		seen = set()
		for k, s in enumerate(scenarios):
		    at = f"scenarios[{k}]"
		    if not isinstance(s, dict):
		        bad(f"{at} is not an object")
		    name = s.get("name")
		    if not isinstance(name, str) or not re.fullmatch(r"[^\s/|.][^\s/|]*", name):
		        bad(f"{at}.name is {name!r}: a scenario name must be usable as a file name (no blanks, '/' or '|')")
		    if name in seen:
		        bad(f"{at}.name {name!r} repeats")
		    seen.add(name)
		    if s.get("verdict") not in verdicts:
		        bad(f'{at}.verdict is {s.get("verdict")!r}, not one of {", ".join(verdicts)}')
		    rules = s.get("rules")
		    rules = [] if rules is None else [rules] if isinstance(rules, str) else rules
		    if not isinstance(rules, list) or not all(isinstance(r, str) for r in rules):
		        bad(f"{at}.rules is not an array of rule IDs")
		    line = s.get("line")
		    line = "" if line is None else line
		    message = s.get("message")
		    message = "" if message is None else message
		    print("\t".join([name, s["verdict"], field(", ".join(rules)), field(line), field(message)]))
	EOF
}

# declared_entry SCENARIO VERDICT RULES: the entry of EXPECT_DEVIATION that declares this outcome
# ("SCENARIO|RULE" with RULE among the scenario's rules; "SCENARIO|inconclusive"), on stdout
declared_entry() {
	local e
	for e in $EXPECT_DEVIATION; do
		[ "${e%%|*}" = "$1" ] || continue
		if [ "$2" = inconclusive ]; then
			[ "${e#*|}" = inconclusive ] && { echo "$e"; return 0; }
		else
			case ", $3, " in *", ${e#*|}, "*) echo "$e"; return 0 ;; esac
		fi
	done
	return 1
}

# prosody_view: what Prosody itself recorded (mod_bidilab_wirelog) as a wire log of all the
# scenarios' connections, the probe's writes marked (peer), and its summary per connection
prosody_view() {
	local base="$OUT/$CONFIG"
	cp "$W/run/capulet/prosody.log" "$base.prosody.log" 2>/dev/null || true
	if [ ! -s "$W/run/capulet/wire.tsv" ]; then
		echo "Prosody recorded no s2s traffic" > "$base.summary.txt"
		rm -f "$base.prosody-wire.log"
	else
		sort -s -t "$(printf '\t')" -k1,1n "$W/run/capulet/wire.tsv" > "$W/run/rows.tsv"
		{
			echo "# bidilab probe lab, configuration $CONFIG: every scenario's connections as Prosody $PROSODY_VERSION (capulet.lit) recorded them"
			echo "# Prosody at $CAPULET_IP, bidilab probe playing montague.lit (its writes: (peer)) at $MONTAGUE_IP"
			echo "# recorded by mod_bidilab_wirelog, merged by wirelog.awk; format: docs/wire-log.md"
			awk -F '\t' -f "$HERE/wirelog.awk" "$W/run/rows.tsv" "$W/run/rows.tsv" || true
		} > "$base.prosody-wire.log"
		summary "$base.prosody-wire.log" > "$base.summary.txt"
	fi
	echo "    as Prosody saw it: $(head -1 "$base.summary.txt")"
	sed '1d; s/^/      /' "$base.summary.txt"
}

# version_of SERVER: the Debian package of the server under test and its version ("prosody 0.12.3-1").
version_of() { echo "$1 $(dpkg-query -W -f='${Version}' "$1" 2>/dev/null || echo '(version unknown)')"; }

# setup_ejabberd_live ID NAME DESCRIPTION TLS TOPOLOGY_FILE: ejabberd 23.01 as verona.lit on
# 127.0.0.4 (lab_ejabberd.sh: TLS 0 none, ca STARTTLS required with the lab's CA) and the topology:
# verona as the lab's e and f pin it, montague played by the probe (as with Prosody)
setup_ejabberd_live() {
	local tls=$4 ejv vj mj
	ejv="ejabberd $(dpkg-query -W -f='${Version}' ejabberd)"
	chmod 755 "$W" "$W/run"       # ejabberd runs as the user ejabberd
	if [ "$tls" = ca ]; then
		vj="$(verona_json required "verona.lit" true true '"features_before_tls": "starttls_only", "dialback_feature": "advertised", "sasl_external_offer": "always"')"
		mj="$(topo_server montague "montague.lit" "montague.lit conference.montague.lit" true "$(prosody_fields required true true)")"
		ejabberd_config ca
	else
		vj="$(verona_json none "" true false '"dialback_feature": "advertised"')"
		mj="$(topo_server montague "montague.lit" "" true "$(prosody_fields none false true)")"
		ejabberd_config none
	fi
	topology "probe-lab-$1-$2" "$3; $ejv: no XEP-0288, dialback with <errors/>, db:verify over a connection opened for it; montague.lit is played by bidilab probe" \
		"$vj" "$mj" |
		topology_stanzas '{ "from": "montague.lit", "to": "verona.lit", "kind": "iq-get" }' \
			'{ "from": "romeo@montague.lit", "to": "juliet@verona.lit", "kind": "message" }' > "$5"
	start_ejabberd
	wait_ejabberd
}

# ------------------------------------------------------------------ one configuration
# send_stanza_script FILE: the probe's --send-command for Prosody capulet.lit: its admin shell
# sends an iq ping from $BIDILAB_FROM to $BIDILAB_TO (the probe sets both; 10 s at most)
send_stanza_script() {
	cat > "$1" <<-EOF
		#!/bin/sh
		# bidilab probe_lab.sh: Prosody's admin shell sends an iq ping \$BIDILAB_FROM -> \$BIDILAB_TO
		case "\$BIDILAB_FROM\$BIDILAB_TO" in *[!a-z0-9.-]*) echo "unexpected domain names" >&2; exit 2 ;; esac
		exec timeout 10 prosodyctl --config "$W/run/capulet/prosody.cfg.lua" shell \
			">prosody.core_post_stanza(prosody.hosts['\$BIDILAB_FROM'], require'util.stanza'.iq({type='get', from='\$BIDILAB_FROM', to='\$BIDILAB_TO', id='probe-send-1'}):tag('ping', {xmlns='urn:xmpp:ping'}))" </dev/null
	EOF
	chmod 755 "$1"
}

# run_probe_config ID NAME DESCRIPTION BIDI TLS [SERVER]: the live server, Prosody capulet.lit
# (mod_s2s_bidi when BIDI is 1) or with SERVER ejabberd, ejabberd 23.01 verona.lit (no XEP-0288;
# BIDI ignored); TLS 0: none, ca: STARTTLS required with the lab's CA, SASL EXTERNAL; against
# bidilab probe playing montague.lit (with TLS: its certificate from the same CA, --pki)
run_probe_config() {
	local id=$1 name=$2 description=$3 bidi=$4 tls=$5 server=${6:-prosody} topo rc=0 left t expected_rc last want probe_pid keep=() pki=()
	local listen="montague=$MONTAGUE_IP:5269" extra=()
	local live=capulet live_ip=$CAPULET_IP
	local n=0 c=0 d=0 i=0 top sname sv srules sline smsg e outcome matched=" " base="$OUT/$1"
	new_run "$id" "$name" "$description"
	rm -rf "$base".* "$base-wire"
	# declared deviations of this configuration: "SCENARIO|RULE" (RULE among the rules of the
	# scenario's finding) or "SCENARIO|inconclusive", separated by blanks, each explained in
	# README.md ("probe_lab.sh", "Deviations found"): RW-31 (a typed db:result taken as a request),
	# RW-32 (a stanza before authentication dropped without a stream error), RW-33 (a forged
	# 'from' closed with not-authorized, not invalid-from): the same in p1-p4 (Prosody); RW-34 in p6;
	# RW-21 in p1 (a reverse dialback request over Prosody's bidi stream answered with invalid-id: the
	# model's orderings that reach the request) and RW-19 in p1 (a dialback error ends Prosody's bidi
	# stream with not-authorized; in p2, without bidi or error support, that is allowed, DB-35); RW-22 in p7 (Prosody routes the stanza for the domain a
	# stream's header named, and only named, over that stream)
	local prosody_attacks="attack-unsolicited-valid|DB-45 attack-stanza-before-auth|CORE-10 attack-forged-from|CORE-46"
	case $id in
		p1) EXPECT_DEVIATION="$prosody_attacks witness-reverse-dialback-validates|BIDI-8 witness-piggybacking-used|BIDI-8 walk-1-27|BIDI-8 dialback-error-answer|BIDI-10" ;;
		p2|p3|p4) EXPECT_DEVIATION="$prosody_attacks" ;;
		p7) EXPECT_DEVIATION="attack-header-from|BIDI-7" ;;
		p5) EXPECT_DEVIATION="" ;;
		# RW-34: ejabberd with STARTTLS required answers what comes before STARTTLS with <policy-violation/>
		p6) EXPECT_DEVIATION="attack-unsolicited-valid|DB-45 attack-stanza-before-auth|CORE-10" ;;
	esac
	for e in $EXPECT_DEVIATION; do
		case $e in ?*'|'?*) ;; *) fail "$id: EXPECT_DEVIATION entry '$e' is not SCENARIO|RULE" ;; esac
	done

	if [ "$server" = ejabberd ]; then
		live=verona; live_ip=$VERONA_IP
		setup_ejabberd_live "$id" "$name" "$description" "$tls" "$base.topology.json"
		topo="$base.topology.json"
		[ "$tls" = ca ] && pki=(--pki "$W/pki")
	else
	prosody_config capulet capulet.lit "$CAPULET_IP" "$bidi" "$tls"
	# capulet as Prosody behaves (pinned as in prosody_lab.sh's a, b and c, d); montague is what the
	# probe plays: dialback without errors, bidi (it may ask for it); with TLS required and SASL
	# EXTERNAL, one domain and a certificate of the lab's CA, where Prosody has them; without TLS,
	# a second domain, conference.montague.lit, that it asks for over an incoming bidi stream
	# (reverse_dialback, BIDI-8) where Prosody's own stream to montague.lit has bidi (p1): the
	# model's orderings then reach that request (capulet's iq-result stands for Prosody's answer
	# to montague's ping, which Prosody sends over a connection of its own)
	topo="$base.topology.json"
	local pbidi; pbidi="$([ "$bidi" = 1 ] && echo true || echo false)"
	if [ "$id" = p7 ]; then
		# RW-22: montague (played) opens its stream with a header from verona.lit (also played,
		# a domain that stream never authenticates), authenticates montague.lit by dialback with
		# bidi; then Prosody's admin shell sends an iq ping capulet.lit -> verona.lit
		listen="$listen,verona=$VERONA_IP:5269"
		send_stanza_script "$W/send_stanza.sh"
		extra=(--scenarios attack-header-from --send-command "$W/send_stanza.sh")
		topology "probe-lab-$id-$name" "$description; Prosody $PROSODY_VERSION: dialback without <errors/>; montague.lit and verona.lit are played by bidilab probe" \
			"$(capulet_json "" true "$(prosody_fields none false true)" "$P_DB_FEATURE")" \
			"$(topo_server montague "montague.lit" "" true "$(prosody_fields none false true)")" \
			"$(topo_server verona "verona.lit" "" true "$(prosody_fields none false true)")" |
			topology_stanzas '{ "from": "montague.lit", "to": "capulet.lit", "kind": "iq-get" }' > "$topo"
	elif [ "$tls" = ca ]; then
		pki=(--pki "$W/pki")
		topology "probe-lab-$id-$name" "$description; Prosody $PROSODY_VERSION; montague.lit is played by bidilab probe" \
			"$(capulet_json "capulet.lit" true "$(prosody_fields required true "$pbidi")" "$P_PRE_TLS, $P_DB_FEATURE, $P_EXTERNAL")" \
			"$(topo_server montague "montague.lit" "montague.lit conference.montague.lit" true "$(prosody_fields required true true)")" |
			topology_stanzas '{ "from": "montague.lit", "to": "capulet.lit", "kind": "iq-get" }' \
				'{ "from": "romeo@montague.lit", "to": "juliet@capulet.lit", "kind": "message" }' > "$topo"
	else
		topology "probe-lab-$id-$name" "$description; Prosody $PROSODY_VERSION: dialback without <errors/>; montague.lit is played by bidilab probe" \
			"$(capulet_json "" true "$(prosody_fields none false "$pbidi")" "$P_DB_FEATURE")" \
			"$(topo_server montague "montague.lit conference.montague.lit" "" true "$(prosody_fields none false true), \"reverse_dialback\": true")" |
			topology_stanzas '{ "from": "montague.lit", "to": "capulet.lit", "kind": "iq-get" }' \
				'{ "from": "capulet.lit", "to": "montague.lit", "kind": "iq-result" }' \
				'{ "from": "balcony@conference.montague.lit/romeo", "to": "juliet@capulet.lit", "kind": "message" }' > "$topo"
	fi
	start_servers capulet
	fi

	deadline "$id: bidilab probe"
	left=$(( LAB_DEADLINE - ($(date +%s%N) - T0) / 1000000000 ))
	t=$(( left < PROBE_TIMEOUT ? left : PROBE_TIMEOUT ))
	mkdir -p "$base-wire"
	say "$id: bidilab probe $(basename "$topo") --server $live=$live_ip:5269 --listen $listen ${extra[*]} (${t} s at most)"
	# in the background and kept in PIDS, so that an interrupted lab stops it at once (timeout
	# passes SIGTERM on to bidilab); ip netns exec execs bidilab
	timeout --kill-after=5 "$t" ip netns exec "$NS" "$BIDILAB" probe "$topo" \
		--server "$live=$live_ip:5269" --listen "$listen" "${extra[@]}" \
		--json "$base.probe.json" --wire-dir "$base-wire" "${pki[@]}" \
		</dev/null >"$base.probe.txt" 2>"$base.probe.stderr.txt" &
	probe_pid=$!
	PIDS+=("$probe_pid")
	wait "$probe_pid" || rc=$?
	for e in "${PIDS[@]}"; do if [ "$e" != "$probe_pid" ]; then keep+=("$e"); fi; done
	PIDS=("${keep[@]}")
	if [ "$server" = ejabberd ]; then
		stop_pid "$EJ_BEAM"   # the Erlang VM stops on SIGTERM (init:stop)
		stop_pid "$EJ_CTL"    # ejabberdctl returns once the VM is gone
	else
		stop_pid "${SPID[capulet]}"
	fi
	say "$id: bidilab probe exited $rc; its table:"
	sed 's/^/    /' "$base.probe.txt"
	if [ -s "$base.probe.stderr.txt" ]; then echo "    its standard error:"; sed 's/^/      /' "$base.probe.stderr.txt"; fi
	if [ "$server" = ejabberd ]; then
		cp "$W/run/ejabberd/logs/ejabberd.log" "$base.ejabberd.log" 2>/dev/null || true
		echo "    (ejabberd records no wire log of its own: its log is $base.ejabberd.log)"
	else
		prosody_view
	fi
	case $rc in
		0|1|3) ;;
		2) fail "$id: bidilab probe exited 2 (bad input): $(head -3 "$base.probe.stderr.txt" | paste -sd ' ') (topology $topo)" ;;
		124|137) fail "$id: bidilab probe did not finish within ${t} s$([ "$t" -lt "$PROBE_TIMEOUT" ] && echo " (what LAB_DEADLINE=${LAB_DEADLINE}s left)") ($base.probe.txt)" ;;
		*) fail "$id: bidilab probe exited $rc (0, 1 and 3 are results)$([ -s "$base.probe.stderr.txt" ] && echo ": $(tail -3 "$base.probe.stderr.txt" | paste -sd ' ')")" ;;
	esac

	# the report: JSON, exit code and the table's last line must tell the same
	[ -s "$base.probe.json" ] || fail "$id: bidilab probe exited $rc but wrote no $base.probe.json"
	probe_rows "$base.probe.json" > "$W/run/probe.tsv" 2>"$W/run/probe.err" ||
		fail "$id: $base.probe.json: $(head -1 "$W/run/probe.err")"
	top="$(head -1 "$W/run/probe.tsv" | cut -f2)"
	while IFS=$'\t' read -r sname sv srules sline smsg; do
		n=$((n + 1))
		[ -f "$base-wire/$sname.log" ] || fail "$id: scenario $sname has no wire log ($base-wire/$sname.log)"
		case $sv in
			conforms) c=$((c + 1)); continue ;;
			deviates) d=$((d + 1)) ;;
			inconclusive) i=$((i + 1)) ;;
		esac
		outcome="$sname $sv"
		[ "$srules" = - ] || outcome="$outcome [$srules]"
		[ "$sline" = - ] || outcome="$outcome at line $sline of $base-wire/$sname.log"
		[ "$smsg" = - ] || outcome="$outcome: $smsg"
		if e="$(declared_entry "$sname" "$sv" "$srules")"; then
			matched="$matched$e "
			echo "$outcome (declared: $e)" >> "$base.verdict.txt"
		else
			echo "$outcome (NOT DECLARED)" >> "$base.verdict.txt"
			PROBLEMS+=("$id: scenario $outcome")
		fi
	done < <(tail -n +2 "$W/run/probe.tsv")
	want=conforms; [ "$i" -gt 0 ] && want=inconclusive; [ "$d" -gt 0 ] && want=deviates
	[ "$top" = "$want" ] || fail "$id: $base.probe.json says \"$top\" but its scenarios make it \"$want\" ($c conform, $d deviate, $i inconclusive)"
	case $top in conforms) expected_rc=0 ;; deviates) expected_rc=1 ;; *) expected_rc=3 ;; esac
	[ "$rc" = "$expected_rc" ] || fail "$id: bidilab probe exited $rc, but its verdict \"$top\" means exit $expected_rc"
	last="$(tail -n 1 "$base.probe.txt")"
	printf -v want 'probe: %d scenarios, %d conform, %d deviate, %d inconclusive' "$n" "$c" "$d" "$i"
	[ "$last" = "$want" ] || fail "$id: the table's last line is '$last'; the JSON says '$want'"
	for e in $EXPECT_DEVIATION; do
		case $matched in *" $e "*) ;; *)
			echo "$e: declared, did not happen" >> "$base.verdict.txt"
			PROBLEMS+=("$id: the declared deviation $e did not happen (remove it from EXPECT_DEVIATION and from README.md if Prosody no longer deviates)") ;;
		esac
	done
	printf '%s\n' "$want" >> "$base.verdict.txt"
	say "configuration $id: $want${EXPECT_DEVIATION:+ (declared: $EXPECT_DEVIATION)}"
	if [ "$(wc -l < "$base.verdict.txt")" -gt 1 ]; then sed '$d; s/^/    /' "$base.verdict.txt"; fi
	TOTAL_N=$((TOTAL_N + n)); TOTAL_C=$((TOTAL_C + c)); TOTAL_D=$((TOTAL_D + d)); TOTAL_I=$((TOTAL_I + i))
	# Per real server too (the summary line of each).
	local k
	for k in n c d i; do eval "SERVER_${k}_$server=\$(( \${SERVER_${k}_$server:-0} + $k ))"; done
	case " $SERVERS_SEEN " in *" $server "*) ;; *) SERVERS_SEEN="$SERVERS_SEEN $server" ;; esac
}

# ------------------------------------------------------------------ the configurations
for c in $LAB_CONFIGS; do
	case $c in
		p1) run_probe_config p1 dialback-bidi "dialback, no TLS, bidi on Prosody" 1 0 ;;
		p2) run_probe_config p2 dialback-no-bidi "dialback, no TLS, no bidi on Prosody" 0 0 ;;
		p3) run_probe_config p3 tls-sasl-external-bidi "STARTTLS required, private CA, SASL EXTERNAL, bidi on Prosody" 1 ca ;;
		p4) run_probe_config p4 tls-sasl-external-no-bidi "STARTTLS required, private CA, SASL EXTERNAL, no bidi on Prosody" 0 ca ;;
		p5) run_probe_config p5 ejabberd-dialback "ejabberd 23.01 verona.lit, dialback, no TLS" 0 0 ejabberd ;;
		p6) run_probe_config p6 ejabberd-tls-ca "ejabberd 23.01 verona.lit, STARTTLS required, private CA, SASL EXTERNAL" 0 ca ejabberd ;;
		p7) run_probe_config p7 header-from "dialback, no TLS, bidi on Prosody; a played server's header names another played domain" 1 0 ;;
	esac
done
if [ "${#PROBLEMS[@]}" -gt 0 ]; then
	say "not as declared:"
	printf '    %s\n' "${PROBLEMS[@]}"
	say "files in $OUT"
else
	say "every scenario as expected (configurations: $LAB_CONFIGS); files in $OUT"
fi
for server in $SERVERS_SEEN; do
	eval "printf '%s: probe: %d scenarios, %d conform, %d deviate, %d inconclusive\\n' \"\$(version_of $server)\" \
		\"\$SERVER_n_$server\" \"\$SERVER_c_$server\" \"\$SERVER_d_$server\" \"\$SERVER_i_$server\""
done
printf 'probe: %d scenarios, %d conform, %d deviate, %d inconclusive\n' "$TOTAL_N" "$TOTAL_C" "$TOTAL_D" "$TOTAL_I"
[ "${#PROBLEMS[@]}" -eq 0 ] || fail "${#PROBLEMS[@]} scenario outcome(s) not as declared (EXPECT_DEVIATION): ${PROBLEMS[0]}$([ "${#PROBLEMS[@]}" -gt 1 ] && echo "; ...")"
