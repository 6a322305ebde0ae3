#!/usr/bin/env bash
# What a host application's runtime class path gets from a plain <dependency> on taskpoller: installs taskpoller
# (this tree, or the revision given, e.g. `bench/embedder-deps.sh main`), resolves the minimal embedder
# bench/embedder/pom.xml, prints its dependency tree, the jar count and their size, and fails when the broker, Scala,
# ZooKeeper, a logging backend, the simulators or the demo are among them.
set -euo pipefail
# offline by default; OFFLINE= (empty) lets Maven download what an older revision needs
offline=${OFFLINE--o}
cd "$(dirname "$0")/.."
embedder=$(pwd)/bench/embedder/pom.xml
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source=.
if [ $# -ge 1 ]; then
  source=$work/source
  mkdir -p "$source"
  git archive "$1" | tar -x -C "$source"
fi
# the install plugin named, so that an older pom (which pins none) installs offline too
mvn -B $offline -q -f "$source/pom.xml" -DskipTests package org.apache.maven.plugins:maven-install-plugin:3.1.4:install
dependency=org.apache.maven.plugins:maven-dependency-plugin:3.8.1
mvn -B $offline -q -f "$embedder" $dependency:tree -Dscope=runtime -DoutputFile="$work/tree.txt"
cat "$work/tree.txt"
mvn -B $offline -q -f "$embedder" $dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$work/lib"
jars=$(find "$work/lib" -name '*.jar' | wc -l)
bytes=$(find "$work/lib" -name '*.jar' -printf '%s\n' | awk '{ s += $1 } END { print s }')
awk -v jars="$jars" -v bytes="$bytes" 'BEGIN { printf "embedder runtime class path: %d jars, %.1f MB\n", jars, bytes / 1048576 }'

failed=0
# the same file names LibraryWithoutOptionalJarsTest leaves out of the class path it runs the library on
app_only=$(ls "$work/lib" | grep -E "^$(cat src/test/resources/app-only-jars.regex)\$" || true)
if [ -n "$app_only" ]; then
  echo "FAIL: app-only artifacts on the embedder's class path:"; echo "$app_only"
  failed=1
fi
library=$(ls "$work"/lib/taskpoller-*.jar)
app_classes=$(unzip -Z1 "$library" | grep -E '^dev/taskpoller/(sim|demo)/|^dev/taskpoller/Taskpoller(Application|Command)|^META-INF/services/dev\.taskpoller\.(sim\.|TaskpollerCommand)|^log4j2\.xml' || true)
if [ -n "$app_classes" ]; then
  echo "FAIL: $(echo "$app_classes" | wc -l) simulator, demo or application entries in $(basename "$library"), e.g.:"
  echo "$app_classes" | head -5
  failed=1
fi
[ $failed -eq 0 ] && echo "OK: no broker, Scala, ZooKeeper, logging backend, simulator or demo"
exit $failed
