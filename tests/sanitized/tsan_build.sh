#!/usr/bin/env bash
# tests/sanitized/tsan_build.sh SOURCE_DIR BUILD_DIR: configures and builds
# bidilab's engine and model suites with ThreadSanitizer (g++,
# -fsanitize=thread) into BUILD_DIR, in unity batches of 8 as the sanitized
# build does (tests/fuzz/README.md), then the canary: a program that races on
# purpose, which the test tsan.canary requires TSan to report. Only the
# suites that run threads are built (sim_tests: the worker pool, the level
# search and the distributed search on toy models;
# properties_tests: the protocol model on threads), not the program: the
# worker pool is the only place bidilab starts a thread.
set -euo pipefail
src=$(cd "$1" && pwd)
build=$2
cxx=${CXX:-g++}
flags="-fsanitize=thread -g1"
cmake -S "$src" -B "$build" -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_BUILD_TYPE=Release \
	-DCMAKE_CXX_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS=-fsanitize=thread \
	-DCMAKE_UNITY_BUILD=ON -DCMAKE_UNITY_BUILD_BATCH_SIZE=8 >/dev/null
cmake --build "$build" -j"$(nproc)" --target sim_tests properties_tests
# shellcheck disable=SC2086 # the flags are words
"$cxx" -std=c++17 -O1 $flags -pthread "$src/tests/sanitized/tsan_canary.cpp" -o "$build/tsan_canary"
