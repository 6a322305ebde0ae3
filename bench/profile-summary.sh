#!/usr/bin/env bash
# What a JFR recording of a measured system spent its CPU and allocation on (dev.taskpoller.bench.ProfileSummary):
# the inclusive share of taskpoller, Camel, Apache HttpClient, Jackson and Kafka frames, the top self-time frames,
# the top frames outside the JDK, and the busiest threads, for jdk.ExecutionSample and jdk.ObjectAllocationSample.
# Needs only a JDK (runs the class as a single source file, nothing to build). Record with settings=profile, e.g.
#   BENCH_SYSTEM_JAVA_OPTS='-XX:StartFlightRecording=filename=/tmp/{name}.jfr,settings=profile' bench/compare.sh quick taskpoller
#   bench/profile-summary.sh /tmp/taskpoller-poll-1000.jfr [top frames, default 20]
set -euo pipefail
exec java "$(dirname "$0")/../src/test/java/dev/taskpoller/bench/ProfileSummary.java" "$@"
