#!/usr/bin/env bash
# tests/fuzz/sanitized_build.sh SOURCE_DIR BUILD_DIR: configures and builds
# bidilab with clang, AddressSanitizer and UndefinedBehaviorSanitizer (and
# libFuzzer's coverage) into BUILD_DIR: the four fuzz targets and the unit
# suites the sanitized run takes (tests/fuzz/README.md says which and why).
# Installs clang when missing (Debian's package).
set -euo pipefail
src=$(cd "$1" && pwd)
build=$2
if ! command -v clang++ >/dev/null; then
	echo "sanitized_build: installing clang (Debian)" >&2
	export DEBIAN_FRONTEND=noninteractive
	timeout 90 apt-get update -qq || true
	timeout 300 apt-get install -y -qq --no-install-recommends clang >/dev/null
fi
cmake -S "$src" -B "$build" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Release -DBIDILAB_FUZZ=ON >/dev/null
cmake --build "$build" -j"$(nproc)" --target fuzz_topology fuzz_wirelog fuzz_schedule fuzz_check \
	bidilab sim_tests topologies_tests capture_tests validate_tests model_tests properties_tests
