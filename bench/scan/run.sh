#!/usr/bin/env bash
# Scanner benchmark: generates a repository of 10,000 Kubernetes objects (or $1), scans it, and
# prints objects per second and peak memory. A parse-only run (every rule disabled) on the same
# repository, in the same invocation, is the baseline the full scan is compared with.
#
# Usage: bench/scan/run.sh [OBJECTS]       (from anywhere; needs a build: ./strongroom --help)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$root/scripts/find-jdk.sh"
find_jdk
objects=${1:-10000}

# The scanner's classes and dependencies: the CLI build if it bundles the scanner, else the scan
# module's own build output.
scan_jar=$(compgen -G "$root/cli/target/lib/strongroom-scan-*.jar" | head -1 || true)
if [ -f "$root/cli/target/strongroom.jar" ] && [ -n "$scan_jar" ] \
   && "$JAVA_HOME/bin/jar" tf "$scan_jar" | grep -q 'dev/strongroom/scan/ScanCommand.class'; then
  cp="$root/cli/target/strongroom.jar:$root/cli/target/lib/*"
elif [ -f "$root/scan/target/classes/dev/strongroom/scan/ScanCommand.class" ]; then
  deps=$(mktemp)
  (cd "$root" && mvn -q -o -pl scan dependency:build-classpath -Dmdep.outputFile="$deps" >/dev/null 2>&1 \
     || mvn -q -pl scan dependency:build-classpath -Dmdep.outputFile="$deps" >/dev/null)
  cp="$root/scan/target/classes:$(cat "$deps")"
  rm -f "$deps"
else
  echo "bench/scan: the scanner is not built yet. Run ./strongroom --help (or: mvn -pl scan -am package -DskipTests) first." >&2
  exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
java "$root/bench/scan/GenerateRepo.java" "$work/repo" "$objects" >/dev/null
objects=$(grep -rh '^kind:' "$work/repo" | wc -l)
files=$(find "$work/repo" -name '*.yaml' | wc -l)
bytes=$(du -sb "$work/repo" | cut -f1)
echo "repository: $objects objects in $files files, $((bytes / 1024)) KiB"

# Every rule ID, to build the parse-only baseline config.
ids=$(java -cp "$cp" dev.strongroom.scan.ScanCommand --list-rules --format json | grep '"id"' | sed -E 's/.*"id" : "([^"]+)".*/\1/' | paste -sd, -)
printf 'rules:\n  disable: [%s]\n' "$ids" > "$work/parse-only.yaml"

measure() { # label, extra args...
  local label=$1; shift
  local timefile="$work/time.txt" stats="$work/stats.txt"
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f '%M %e %U %S' -o "$timefile" java -Xmx1g -cp "$cp" dev.strongroom.scan.ScanCommand \
      --format json -o "$work/report.json" --fail-on none --stats "$@" "$work/repo" 2> "$stats"
    read -r rss wall usr sys < "$timefile"
    cpu=$(awk -v u="$usr" -v s="$sys" 'BEGIN { printf "%.1f", u + s }')
  else
    java -Xmx1g -cp "$cp" dev.strongroom.scan.ScanCommand --format json -o "$work/report.json" --fail-on none --stats "$@" "$work/repo" 2> "$stats"
    rss="?"; wall="?"; cpu="?"
  fi
  local line; line=$(grep '^scanned' "$stats")
  local ops heap
  ops=$(sed -E 's/.* ([0-9]+) objects\/s.*/\1/' <<< "$line")
  heap=$(sed -E 's/.*peak heap ([0-9.]+) MiB.*/\1/' <<< "$line")
  printf '%-11s %8s objects/s   peak heap %7s MiB   peak RSS %6s MiB   wall %5ss, CPU %5ss (JVM start included)\n' \
    "$label" "$ops" "$heap" "$([ "$rss" = "?" ] && echo "?" || echo $((rss / 1024)))" "$wall" "$cpu"
  grep -v '^scanned' "$stats" | sed 's/^ */            /' || true
  echo "$ops" > "$work/$label.ops"
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores (other work on the machine slows every number below)"
measure "parse-only" --config "$work/parse-only.yaml"
measure "full-scan"
findings=$(grep -c '"ruleId"' "$work/report.json" || true)
echo "full scan: $findings findings"
awk -v p="$(cat "$work/parse-only.ops")" -v f="$(cat "$work/full-scan.ops")" \
  'BEGIN { printf "ratio full-scan / parse-only throughput: %.2f (the rules cost %.0f%% on top of reading and parsing)\n", f / p, (p / f - 1) * 100 }'
