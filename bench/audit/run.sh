#!/usr/bin/env bash
# bench/audit/run.sh — issue 4's benchmark: the GET throughput cost of auditing every request at Metadata level.
#
#   bench/audit/run.sh [--runs N] [--seconds S]
#
# Builds the bench module (whose h2load driver it reuses), compiles AuditBench.java beside it, and runs it: two
# Strongroom servers in one JVM, audit off vs. every request audited at Metadata to a hash-chained log file,
# alternating h2load runs over HTTP/2, medians; the goal is a cost below 15 %. Loopback only. About 1 minute with
# the defaults (5 runs of 4 s per side). Exit status 0 if the goal is met.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)

if ! command -v h2load >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "bench/audit: h2load is missing: run 'apt-get update && apt-get install -y nghttp2-client' as root" >&2
    exit 1
  fi
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nghttp2-client; } >&2
fi

. "$root/scripts/find-jdk.sh"
find_jdk

echo "bench/audit: building (mvn install -pl bench -am)..." >&2
build() { (cd "$root" && mvn -B -q "$@" install -Dmaven.test.skip=true -pl bench -am && \
          mvn -B -q "$@" dependency:build-classpath -pl bench -Dmdep.outputFile=target/classpath.txt) >&2; }
build -o || build || { echo "bench/audit: build failed" >&2; exit 1; }

cp="$root/bench/target/classes:$(cat "$root/bench/target/classpath.txt")"
out="$here/target/classes"
rm -rf "$out" && mkdir -p "$out"
# Same package as the bench driver (dev.strongroom.bench), so it uses H2Load and ApiClient as they are.
"$JAVA_HOME/bin/javac" -d "$out" -cp "$cp" "$here/AuditBench.java"
exec "$JAVA_HOME/bin/java" ${BENCH_JAVA_OPTS:-} -cp "$out:$cp" dev.strongroom.bench.AuditBench "$@"
