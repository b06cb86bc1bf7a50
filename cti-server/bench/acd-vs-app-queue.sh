#!/usr/bin/env bash
# ACD vs app_queue benchmark: the same SIPp customer and four auto-answering SIPp agents into the CTI's own
# ACD (dial 700) and into app_queue (dial 6000) on one real Asterisk 22 on 127.0.0.1. What it measures and
# the results: docs/benchmarks.md. Needs CTI_IT_ASTERISK_PREFIX (default /opt/asterisk-22), sipp on the
# PATH, and root (or CAP_NET_RAW for sipp: the customer's one RTP packet is sent by play_pcap_audio).
#
#   cti-server/bench/acd-vs-app-queue.sh                                 # latency: 100 calls at 2/s, each path
#   cti-server/bench/acd-vs-app-queue.sh --mode load --rates 4,8,12     # load: 60 s at each rate, each path
#   cti-server/bench/acd-vs-app-queue.sh --paths acd --mode load --rates 10 --talk 200 --duration 60
#
# Script options: --paths acd,app_queue (also app_queue-no-cti), --mode latency|load, --rates R1,R2,...
# (load; latency uses --rate, default 2), --results FILE (default target/acd-bench-results.tsv, appended).
# Every other option goes to AcdVsAppQueueBench (see its class comment): --talk, --calls, --duration...
#
# Each step (one path, one rate) is its own JVM with a fresh Asterisk and CTI, run under
# `flock /tmp/asterisk-live.lock` so it never overlaps the live integration tests (fixed ports); a step
# takes 1 to 2 minutes. BENCH_JAVA_OPTS replaces the JVM options (default: -Xms1g -Xmx2g).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
paths="acd,app_queue"
mode="latency"
rates=""
results="target/acd-bench-results.tsv"
pass=()
while [ $# -gt 0 ]; do
    case "$1" in
        --paths) paths="$2"; shift 2 ;;
        --mode) mode="$2"; shift 2 ;;
        --rates) rates="$2"; shift 2 ;;
        --results) results="$2"; shift 2 ;;
        *) pass+=("$1" "$2"); shift 2 ;;
    esac
done
if [ -z "$rates" ]; then
    rates="0"   # latency: the bench's own --rate (default 2)
    [ "$mode" = load ] && { echo "--mode load needs --rates R1,R2,..." >&2; exit 2; }
fi
export CTI_IT_ASTERISK_PREFIX="${CTI_IT_ASTERISK_PREFIX:-/opt/asterisk-22}"
command -v sipp >/dev/null || { echo "no sipp on the PATH (Debian: sip-tester)" >&2; exit 2; }
[ "$(id -u)" = 0 ] || echo "warning: not root; sipp's play_pcap_audio needs CAP_NET_RAW" >&2

mvn -B -q -pl cti-server -am test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
cp="cti-server/target/test-classes:cti-server/target/classes:$(cat cti-server/target/bench.classpath)"
revision="$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- cti-server/src asterisk-config || echo '+dirty')"
mkdir -p "$(dirname "$results")"
IFS=, read -r -a path_list <<< "$paths"
IFS=, read -r -a rate_list <<< "$rates"
for p in "${path_list[@]}"; do
    for r in "${rate_list[@]}"; do
        args=(--path "$p" --mode "$mode" --out "$results")
        [ "$r" != 0 ] && args+=(--rate "$r")
        echo "=== $p, $mode$([ "$r" != 0 ] && echo ", $r calls/s"): waiting for /tmp/asterisk-live.lock"
        # shellcheck disable=SC2086
        flock /tmp/asterisk-live.lock java ${BENCH_JAVA_OPTS:--Xms1g -Xmx2g} -Dbench.revision="$revision" -cp "$cp" \
            org.asteriskcti.server.bench.AcdVsAppQueueBench "${args[@]}" "${pass[@]}"
    done
done
echo
java -cp "$cp" org.asteriskcti.server.bench.AcdVsAppQueueBench --table "$results"
