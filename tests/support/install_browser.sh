# tests/support/install_browser.sh, sourced by the browser tests (tests/explore,
# tests/pictures): installs Debian's chromium and fonts-dejavu-core when
# missing, one installer at a time (apt_lock.sh: ctest -j runs both tests, and
# the labs, at once), and returns holding no lock. WHO names the test in its
# messages.
# shellcheck source=apt_lock.sh
. "$(dirname "${BASH_SOURCE[0]}")/apt_lock.sh"
browser_missing() {
	missing=()
	[ -x /usr/bin/chromium ] || missing+=(chromium)
	apt_installed fonts-dejavu-core || missing+=(fonts-dejavu-core)
}
install_browser() {
	local who=$1 missing=()
	browser_missing
	[ "${#missing[@]}" -eq 0 ] && return 0
	apt_lock || { echo "$who: waited 15 minutes for another installer" >&2; exit 1; }
	browser_missing  # the other browser test may have installed them meanwhile
	if [ "${#missing[@]}" -gt 0 ]; then
		echo "$who: installing ${missing[*]} (Debian)" >&2
		export DEBIAN_FRONTEND=noninteractive
		apt_update || true
		if ! apt_install "${missing[@]}" >/dev/null; then
			echo "$who: could not install ${missing[*]}" >&2
			exit 1
		fi
	fi
	apt_unlock
}
