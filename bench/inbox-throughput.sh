#!/usr/bin/env bash
# Inbox throughput: N Scan Documents task ids dropped as one .txt file into a running
# `taskpoller demo --keep-running` (embedded broker, simulators on loopback, each task done after 3 polls).
# Prints how long accepting the file took (every line durably in the in-flight topic) and how long until every
# task had its terminal event in the outbox, and the size of the app's output (its log) by then. Run from the
# repository root after `mvn -B -DskipTests package`.
#   bench/inbox-throughput.sh [N=5000]
set -euo pipefail
n=${1:-5000}
work=$(mktemp -d)
jar=$(pwd)/target/taskpoller.jar
[ -f "$jar" ] || { echo "build first: mvn -B -DskipTests package" >&2; exit 2; }
cd "$work"
java -Xmx512m -jar "$jar" demo --keep-running > demo.log 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"' EXIT
until grep -q "Still running" demo.log; do
  kill -0 $pid 2>/dev/null || { cat demo.log; exit 1; }
  sleep 1
done
events() { cat data/outbox/completed/*.jsonl data/outbox/failed/*.jsonl 2>/dev/null | wc -l; }
before=$(events)
mkdir -p data/inbox/scan-documents
python3 - "$n" > data/inbox/scan-documents/.ids.tmp <<'PY'
import random, string, sys
random.seed(7)
for _ in range(int(sys.argv[1])):
    print("task_" + "".join(random.choice(string.ascii_lowercase + string.digits) for _ in range(16)))
PY
start=$(date +%s%N)
mv data/inbox/scan-documents/.ids.tmp data/inbox/scan-documents/ids.txt
until compgen -G "data/inbox/.done/scan-documents/ids@*.txt" > /dev/null; do sleep 0.1; done
accepted=$(date +%s%N)
until [ $(( $(events) - before )) -ge "$n" ]; do sleep 0.2; done
finished=$(date +%s%N)
ms() { echo $(( ($1 - start) / 1000000 )); }
echo "tasks: $n"
echo "accepted: $(ms "$accepted") ms ($(( n * 1000 / ($(ms "$accepted") + 1) )) tasks/s)"
echo "all terminal: $(ms "$finished") ms ($(( n * 1000 / ($(ms "$finished") + 1) )) tasks/s, 3 polls each)"
echo "log: $(wc -c < demo.log) bytes, $(wc -l < demo.log) lines ($(grep -c ' WARN \| ERROR ' demo.log) WARN/ERROR)"
echo "peak RSS: $(awk '/VmHWM/ {print $2 " kB"}' /proc/$pid/status)"
