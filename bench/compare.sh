#!/usr/bin/env bash
# The benchmark of issue 7: one workload through three systems, each in a JVM of its own, against the Scan Documents
# simulator on loopback (hosted by the harness's JVM, so it is not counted in any system's figures):
#   1. taskpoller: the application with its embedded broker and in-flight topic, configured by a properties file;
#   2. the hand-written Camel loop (loopDoWhile + asynchronous delay + to(http) per task, dev.taskpoller.bench.CamelLoop);
#   3. the raw limit: Apache HttpClient 5 (what camel-http uses), keep-alive, 10 threads, no polling logic
#      (also 20 and 40 threads, to show whether the simulator or the client is the limit).
# The same below saturation (latency): N = 2,000 tasks every 1 s through taskpoller and the loop, lateness and the
# provider finishing a task → its event. AceData batches: taskpoller polling N AceData tasks (the AceData simulator,
# retrieve_batch) at the packaged batch-size and batch-window: HTTP calls against tasks polled (tasks/call).
# Then taskpoller alone: accepting N ids from one inbox file and N requests from the topic (with a plain Kafka
# producer writing the same records as reference), N idle tasks in memory, and a kill -9 with N in flight.
# Prints Markdown tables and writes target/bench/results.md and target/bench/results.json; the systems' logs and
# GC logs stay under target/bench/work-*/. Run from the repository root (it compiles the test classes offline).
#   bench/compare.sh [quick|full] [raw,taskpoller,loop,latency,burst,acedata,accept,memory,restart] [N,N... in flight for the poll runs]
# quick (~3-4 min): N = 1,000 in flight, latency 2,000, AceData 1,000, accept 2,000, memory 5,000, restart 3,000.
# full (~30-40 min): N = 1k, 10k, 100k; latency 2,000; AceData 10,000; accept 20,000; memory 100k at -Xmx512m and 1M
# at -Xmx1g; restart with 100k in flight. No step waits more than 15 min: one that would stops and says what it reached.
# Environment: BENCH_INTERVAL_MS (poll runs, 50), BENCH_LATENCY_N (2000), BENCH_LATENCY_INTERVAL_MS (1000),
# BENCH_ACEDATA_N (quick 1000, full 10000), BENCH_ACEDATA_INTERVAL_MS (5000), BENCH_BURST_N (N,N...).
# BENCH_SYSTEM_JAVA_OPTS adds JVM options to every measured system ({name} stands for its name), e.g. a profile,
# then summarised by bench/profile-summary.sh:
#   BENCH_SYSTEM_JAVA_OPTS='-XX:StartFlightRecording=filename=/tmp/{name}.jfr,settings=profile' bench/compare.sh quick taskpoller
set -euo pipefail
mvn -B -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
java -Xmx2g ${BENCH_JAVA_OPTS:-} -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" -Dlog4j2.level=WARN \
  dev.taskpoller.bench.Compare "${1:-quick}" ${2:+"$2"} ${3:+"$3"} 2>&1 | grep -v " DEBUG \| INFO "
