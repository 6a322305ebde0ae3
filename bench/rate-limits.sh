#!/usr/bin/env bash
# Rate limits at the real documented figures: S Shoplazza and C Closient tasks (each done at its first poll) polled
# by taskpoller with its default limits from config/application.properties, against simulators that enforce
# Shoplazza's bucket (burst 60, 2/s) and Closient's 300/min and 10,000/day. Prints per provider the calls, the 429s,
# the time taken, the least time the documented sustained rate allows, and the most calls the simulator saw in any
# 1 s and 60 s. About S/2 s (Shoplazza at 2/s). Run from the repository root.
#   bench/rate-limits.sh [S=200] [C=300]
set -euo pipefail
mvn -B -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
java -Xmx512m -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  -Dlog4j2.level=WARN dev.taskpoller.bench.RateLimitBench "${1:-200}" "${2:-300}" 2>&1 | grep -v " DEBUG \| INFO "
