#!/usr/bin/env bash
# tests/fuzz/sanitized_build.sh SOURCE_DIR BUILD_DIR: configures and builds
# bidilab with clang, AddressSanitizer and UndefinedBehaviorSanitizer (and
# libFuzzer's coverage) into BUILD_DIR: the four fuzz targets and the unit
# suites the sanitized run takes (tests/fuzz/README.md says which and why),
# not the bidilab program. Files are compiled in unity batches of 8 (CMake's
# UNITY_BUILD): headers and templates are compiled once a batch, which halves
# the build; the names a test file keeps to itself must therefore be unique
# within its suite. Installs clang when missing (Debian's package).
set -euo pipefail
src=$(cd "$1" && pwd)
build=$2
if ! command -v clang++ >/dev/null; then
	# One installer at a time (tests/support/apt_lock.sh).
	# shellcheck source=../support/apt_lock.sh
	. "$src/tests/support/apt_lock.sh"
	apt_lock || { echo "sanitized_build: waited 15 minutes for another installer" >&2; exit 1; }
	echo "sanitized_build: installing clang (Debian)" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt_update || true
	apt_install clang >/dev/null
	apt_unlock
fi
cmake -S "$src" -B "$build" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Release -DBIDILAB_FUZZ=ON \
	-DCMAKE_UNITY_BUILD=ON -DCMAKE_UNITY_BUILD_BATCH_SIZE=8 >/dev/null
cmake --build "$build" -j"$(nproc)" --target fuzz_topology fuzz_wirelog fuzz_schedule fuzz_check \
	sim_tests topologies_tests capture_tests validate_tests model_tests properties_tests
