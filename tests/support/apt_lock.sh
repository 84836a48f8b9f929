# tests/support/apt_lock.sh, sourced by every test that may install Debian
# packages (the browser tests, the interop labs, the sanitized build). On a
# fresh machine `ctest -j2` runs two of them at once, and dpkg lets one apt-get
# in at a time: the other failed at once ("Could not get lock
# /var/lib/dpkg/lock-frontend"). So bidilab's installers take turns on one
# lock (apt_lock waits up to 15 minutes for the others, whose own installs are
# bounded), and apt-get waits up to 5 minutes for any other apt user
# (APT_WAIT, e.g. unattended-upgrades). apt_update and apt_install are
# apt-get with those waits and their bounds (300 s, 420 s); the callers
# redirect and judge their output. apt_unlock lets the next one in.
# apt_installed PKG: whether dpkg has PKG installed (what the callers check
# before they take the lock).
APT_LOCK_FILE=/tmp/bidilab-apt.lock
APT_WAIT=(-o DPkg::Lock::Timeout=300)
apt_installed() { [[ $(dpkg-query -W -f='${Status}' "$1" 2>/dev/null) == *"install ok installed"* ]]; }
apt_update() { timeout 300 apt-get "${APT_WAIT[@]}" update -qq; }
apt_install() { timeout 420 apt-get "${APT_WAIT[@]}" install -y -qq --no-install-recommends "$@"; }
apt_lock() {
	exec 7>"$APT_LOCK_FILE"
	flock -w 900 7
}
apt_unlock() {
	flock -u 7
	exec 7>&-
}
