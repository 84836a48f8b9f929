# tests/support/install_browser.sh, sourced by the browser tests (tests/explore,
# tests/pictures): installs Debian's chromium and fonts-dejavu-core when
# missing, one installer at a time (ctest -j runs both tests at once), and
# returns holding no lock. WHO names the test in its messages.
install_browser() {
	local who=$1 missing=()
	exec 9>"${TMPDIR:-/tmp}/bidilab-browser-install.lock"
	flock 9
	[ -x /usr/bin/chromium ] || missing+=(chromium)
	dpkg-query -W -f='${Status}' fonts-dejavu-core 2>/dev/null | grep -q "install ok installed" ||
		missing+=(fonts-dejavu-core)
	if [ "${#missing[@]}" -gt 0 ]; then
		echo "$who: installing ${missing[*]} (Debian)" >&2
		export DEBIAN_FRONTEND=noninteractive
		timeout 90 apt-get update -qq || true
		if ! timeout 300 apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
			echo "$who: could not install ${missing[*]}" >&2
			exit 1
		fi
	fi
	flock -u 9
}
