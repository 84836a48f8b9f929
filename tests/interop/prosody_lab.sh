#!/usr/bin/env bash
# prosody_lab.sh: bidilab's interop lab. Real XMPP servers from Debian 12 (Prosody 0.12.3, and
# ejabberd 23.01 in configurations e, f, g) talk server-to-server inside a private network
# namespace, under several configurations; the s2s XML of each run is recorded as a wire log
# and checked with `bidilab validate` against a topology describing that configuration.
# See README.md beside this script; the parts: lab_common.sh, lab_prosody.sh, lab_ejabberd.sh.
#
#   prosody_lab.sh BIDILAB [OUT_DIR]
#
#   BIDILAB   the bidilab executable (CTest passes $<TARGET_FILE:bidilab>)
#   OUT_DIR   where CONFIG.log (the wire log), CONFIG.topology.json (and .open.topology.json),
#             CONFIG.validate.txt (and .open.validate.txt), CONFIG.verdict.txt,
#             CONFIG.summary.txt and CONFIG.shell.txt go; default: a new folder under /tmp
#
# Configurations (capulet.lit: Prosody on 127.0.0.2; montague.lit + conference.montague.lit:
# Prosody on 127.0.0.3; verona.lit: ejabberd, or Prosody in i, on 127.0.0.4; port 5269):
#   a  dialback, no TLS, bidi on both          c  STARTTLS required, private CA, SASL EXTERNAL, bidi on both
#   b  dialback, no TLS, bidi on capulet only  d  as c, bidi on capulet only
#   e  capulet.lit (Prosody, bidi) <-> verona.lit (ejabberd, no bidi), dialback, no TLS
#   f  as e, STARTTLS required on both, private CA trusted by both
#   g  as e, STARTTLS required on both, self-signed certificates: SASL EXTERNAL refused, dialback
#   h  capulet.lit requires TLS, montague.lit has no TLS (a real deviation is expected: RW-28)
#   i  three Prosody servers (capulet, montague + MUC, verona), as c
#   j  a collision: capulet.lit and montague.lit ping each other at the same instant, as c
#
# Environment:
#   LAB_CONFIGS="a b ... j"  which configurations to run (default: all; without e, f, g,
#                            ejabberd is not installed)
#   LAB_KEEP=1               keep the work folder (server configs, debug logs, raw rows)
#   LAB_NO_INSTALL=1         fail instead of running apt-get when a package is missing
#   LAB_DEADLINE=150         seconds the lab may take once the packages are there
#
# Needs root (apt-get, ip netns, port 5269). Exit 0: every capture accepted, or rejected exactly
# where its configuration expects a real server's deviation; 1: something failed, and the last
# line on stderr says what ("prosody_lab: FAIL: ..."); 2: bad usage.
set -Eeuo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ME=prosody_lab
CAPULET_IP=127.0.0.2     # capulet.lit
MONTAGUE_IP=127.0.0.3    # montague.lit, conference.montague.lit (MUC component)
VERONA_IP=127.0.0.4      # verona.lit (ejabberd in e, f, g; Prosody in i)
ALL_CONFIGS="a b c d e f g h i j"
LAB_CONFIGS="${LAB_CONFIGS:-$ALL_CONFIGS}"
LAB_DEADLINE="${LAB_DEADLINE:-150}"
W=""; NS=""; NETNS_ETC=""; POLICY_MADE=0; PIDS=(); CONFIG=""; T0=$(date +%s%N)
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
EXTRA_PACKAGES=""; case " $LAB_CONFIGS " in *" e "*|*" f "*|*" g "*) EXTRA_PACKAGES=ejabberd ;; esac
[ "$(id -u)" = 0 ] || fail "needs root (apt-get, ip netns add, Prosody on port 5269); it does not skip: run it as root, or exclude it (ctest -LE interop)"

trap cleanup EXIT
trap 'printf "%s: FAIL: interrupted (SIGINT)\n" "$ME" >&2; exit 130' INT
trap 'printf "%s: FAIL: interrupted (SIGTERM)\n" "$ME" >&2; exit 143' TERM
trap 'fail "unexpected error (exit $?) at line $LINENO: $BASH_COMMAND"' ERR

W="$(mktemp -d /tmp/bidilab-prosody-lab.XXXXXX)"
if [ -z "$OUT" ]; then OUT="$(mktemp -d /tmp/bidilab-prosody-lab-out.XXXXXX)"; fi
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"

# ------------------------------------------------------------------ packages
install_missing
check_tools prosody prosodyctl lua5.4 openssl ip timeout   # lab_common.sh
T0=$(date +%s%N)       # the deadline counts from here: installing is not the lab

make_namespace   # lab_common.sh: NS, loopback only
say "Prosody $PROSODY_VERSION${EXTRA_PACKAGES:+, ejabberd $(dpkg-query -W -f='${Version}' ejabberd)}; network namespace $NS (lo only)"

# ------------------------------------------------------------------ work folder
# Name resolution. Prosody 0.12 has no per-domain address setting and asks DNS (SRV first,
# then A). With lua-unbound it uses libunbound, which each config points at the lab's own
# hosts file; the zone "lit." is answered locally ("static": what the hosts file does not
# list, e.g. the SRV records, is NXDOMAIN, so Prosody falls back to port 5269) and the only
# forwarder is 127.0.0.1 inside the namespace, where nothing listens. /etc/hosts and
# /etc/resolv.conf are neither read nor changed.
mkdir -p "$W/plugins" "$W/pki"
cp "$HERE/mod_bidilab_wirelog.lua" "$W/plugins/"
printf '%s capulet.lit\n%s montague.lit conference.montague.lit\n%s verona.lit\n' "$CAPULET_IP" "$MONTAGUE_IP" "$VERONA_IP" > "$W/hosts"
chmod 700 "$W/pki"    # the ejabberd configurations open the work folder to the user ejabberd
case " $LAB_CONFIGS " in *" "[cdfghij]" "*) make_pki ;; esac

# ------------------------------------------------------------------ the configurations
for c in $LAB_CONFIGS; do
	case $c in
		a) run_config a dialback-bidi "dialback, no TLS, bidi on both servers" 1 0 ;;
		b) run_config b dialback-bidi-capulet-only "dialback, no TLS, bidi on capulet only" 0 0 ;;
		c) run_config c tls-sasl-external-bidi "STARTTLS required, private CA, SASL EXTERNAL, bidi on both servers" 1 ca ;;
		d) run_config d tls-sasl-external-bidi-capulet-only "STARTTLS required, private CA, SASL EXTERNAL, bidi on capulet only" 0 ca ;;
		e) run_config_ejabberd e ejabberd-dialback "dialback, no TLS; capulet.lit is Prosody with bidi, verona.lit is ejabberd 23.01 (no bidi)" none ;;
		f) run_config_ejabberd f ejabberd-tls-ca "STARTTLS required on both, private CA trusted by both; capulet.lit is Prosody with bidi, verona.lit is ejabberd 23.01 (no bidi)" ca ;;
		g) run_config_ejabberd g ejabberd-tls-self-signed "STARTTLS required on both, self-signed certificates trusted by neither (Prosody: s2s_secure_auth = false); capulet.lit is Prosody with bidi, verona.lit is ejabberd 23.01 (no bidi)" self ;;
		h) run_config_h ;;
		i) run_config_i ;;
		j) run_config_j ;;
	esac
done
say "every capture as expected (configurations: $LAB_CONFIGS); files in $OUT"
