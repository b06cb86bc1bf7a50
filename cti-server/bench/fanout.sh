#!/usr/bin/env bash
# Fan-out benchmark (issue 2, item 11): AMI trace 01 replayed through a real CTI server to 1, 100 and
# 1,000 WebSocket clients, next to a bare Netty broadcast of the same frames. Loopback only; stops by
# itself (each run is capped by --max-run-seconds). What it measures and the results: docs/benchmarks.md.
#
#   cti-server/bench/fanout.sh                      # defaults: --clients 1,100,1000 --repeat 200,150,30, full speed
#   cti-server/bench/fanout.sh --repeat 20 --rate 57    # paced: one call (57 AMI events) per second
#
# BENCH_JAVA_OPTS replaces the JVM options (default: -Xms4g -Xmx8g -XX:+AlwaysPreTouch).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
mvn -B -q -pl cti-server -am test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
cp="cti-server/target/test-classes:cti-server/target/classes:$(cat cti-server/target/bench.classpath)"
# shellcheck disable=SC2086
exec java ${BENCH_JAVA_OPTS:--Xms4g -Xmx8g -XX:+AlwaysPreTouch} -cp "$cp" \
    org.asteriskcti.server.bench.FanoutBench "$@"
