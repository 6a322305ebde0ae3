#!/usr/bin/env bash
# The main classes' package dependency graph (jdeps, from the JDK) and its cycles (tsort, from coreutils): prints each
# edge "from to", then "no package cycles" or each loop tsort finds, and fails when there is one. ArchitectureTest
# enforces the same in the build; this is the list a reader can see.
set -euo pipefail
cd "$(dirname "$0")/.."
# offline by default; OFFLINE= (empty) lets Maven download what it needs
mvn -B ${OFFLINE--o} -q compile
edges=$(jdeps -verbose:package -filter:none target/classes \
  | awk '$1 ~ /^dev\.taskpoller/ && $2 == "->" && $3 ~ /^dev\.taskpoller/ && $1 != $3 { print $1, $3 }' | sort -u)
echo "$edges"
loops=$(echo "$edges" | tsort 2>&1 >/dev/null || true)
if [ -z "$loops" ]; then
  echo "no package cycles"
else
  echo "$loops" | sed 's/^tsort: //'
  exit 1
fi
