#!/usr/bin/env bash
# bench/run.sh — Strongroom's API benchmark (issue 2), in one command:
#
#   bench/run.sh [--runs N] [--seconds S] [--only get,list,create,authz] [--strongroom-only] [--keep]
#
# Installs h2load if missing (Debian's nghttp2-client; needs root), builds the bench module and what it depends on,
# then runs dev.strongroom.bench.ApiBench: it starts a Strongroom server in-process on a temporary data directory,
# seeds it through the API, and measures over HTTP/2 with h2load
#   1. GET of one secret        vs a bare HTTPS server on the same Vert.x stack answering the same bytes,
#   2. LIST of 1,000 secrets    vs the same bare server answering the same list bytes,
#   3. creates from 64 clients  vs the raw durable insert rate of SqliteStore with 64 writers,
#   4. authz: GET of one secret as a user bound by a RoleBinding vs the same GET as the admin (issue 3),
# and prints medians and the ratios to those baselines next to the goals (>= 0.5; authz >= 0.95).
# Defaults: 5 runs of 4 s per side after a warm-up run: about 4 minutes in all. Loopback only.
# Environment: BENCH_JAVA_OPTS adds JVM options (e.g. -XX:StartFlightRecording=filename=/tmp/b.jfr,settings=profile).
set -euo pipefail
bench=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$bench")

if ! command -v h2load >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "bench: h2load is missing and installing it needs root: run 'apt-get update && apt-get install -y nghttp2-client' as root" >&2
    exit 1
  fi
  echo "bench: installing h2load (nghttp2-client)..." >&2
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nghttp2-client; } >&2 \
    || { echo "bench: installing nghttp2-client failed" >&2; exit 1; }
  command -v h2load >/dev/null 2>&1 || { echo "bench: nghttp2-client installed but h2load is not on PATH" >&2; exit 1; }
fi

. "$root/scripts/find-jdk.sh"
find_jdk

echo "bench: building (mvn install -pl bench -am)..." >&2
build() { (cd "$root" && mvn -B -q "$@" install -Dmaven.test.skip=true -pl bench -am && \
          mvn -B -q "$@" dependency:build-classpath -pl bench -Dmdep.outputFile=target/classpath.txt) >&2; }
# Offline first (fast, no network); fall back to online once, for a machine whose ~/.m2 is not filled yet.
build -o || build || { echo "bench: build failed" >&2; exit 1; }

exec "$JAVA_HOME/bin/java" ${BENCH_JAVA_OPTS:-} \
  -cp "$bench/target/classes:$(cat "$bench/target/classpath.txt")" \
  dev.strongroom.bench.ApiBench "$@"
