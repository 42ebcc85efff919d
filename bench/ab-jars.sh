#!/usr/bin/env bash
# Side-by-side benchmark of two server jars on this machine, interleaved A B B A ... so that drift in the machine's
# load hits both alike. Each run: a fresh embedded database, the demo profile (its clients' keys go to a folder the
# bench pushes with, so security is on as in production), then the push (cohort and plain ingest) workloads.
#
#   bench/ab-jars.sh <jar A> <jar B> [rounds=2] [out dir=bench/results/ab]
#
# Prints one line per ingest row and the load average at each start; writes each run's JSON to the out dir.
set -euo pipefail
jar_a=$1; jar_b=$2; rounds=${3:-2}; out=${4:-bench/results/ab}
bench_jar=${BENCH_JAR:-bench/target/cart-ltfu-bench.jar}
levels=${LEVELS:-1,4}; level_patients=${LEVEL_PATIENTS:-15,30}; plain=${PLAIN_BUNDLES:-60}
mkdir -p "$out"
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

run() { # label jar run-number
  local label=$1 jar=$2 n=$3 dir="$work/$1-$3" port=18180 pg=15499
  mkdir -p "$dir"
  echo "== $label run $n, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  java -Xmx2g -jar "$jar" demo --server.port=$port --hub.demo.loader-jar=/nonexistent \
    --hub.demo.keys-dir="$dir/keys" --hub.storage.embedded-postgres.data-dir="$dir/pg" \
    --hub.storage.embedded-postgres.port=$pg --management.endpoints.web.exposure.include=health,info,metrics \
    > "$dir/server.log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 240); do
    curl -sf "http://127.0.0.1:$port/fhir/metadata" >/dev/null 2>&1 && break
    kill -0 $pid 2>/dev/null || { tail -30 "$dir/server.log"; exit 1; }
    sleep 1
  done
  java -jar "$bench_jar" bench --server "http://127.0.0.1:$port/fhir" --auth-keys "$dir/keys" \
    --workloads plain --levels "$levels" --level-patients "$level_patients" --plain-bundles "$plain" --searches 20 \
    --jdbc "jdbc:postgresql://127.0.0.1:$pg/postgres" --db-user postgres --pid $pid \
    --out "$out/$label-$n.json" | grep -E "ingest|copy" | sed "s/^/$label $n  /"
  kill $pid; wait $pid 2>/dev/null || true
  grep -E "ERROR|Failure during REST" "$dir/server.log" > "$out/$label-$n.server-errors.log" || true
}

for n in $(seq 1 "$rounds"); do
  if (( n % 2 )); then run A "$jar_a" "$n"; run B "$jar_b" "$n"; else run B "$jar_b" "$n"; run A "$jar_a" "$n"; fi
done
