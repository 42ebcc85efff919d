#!/usr/bin/env bash
# Side-by-side benchmark of two server jars, or of one jar under two settings, on this machine, interleaved
# A B B A ... so that drift in the machine's load hits both alike. Each run: a fresh embedded database, the demo
# profile (its clients' keys go to a folder the bench pushes with, so security is on as in production), then the
# push (cohort and plain ingest) workloads.
#
#   bench/ab-jars.sh <jar A> <jar B> [rounds=2] [out dir=bench/results/ab]
#
# Environment (all optional):
#   A_ARGS, B_ARGS      extra server arguments of side A / B (split at spaces), e.g. B_ARGS=--hub.validation.enabled=false;
#                       a side with --hub.security.enabled=false is pushed without credentials (no token endpoint then)
#   A_LABEL, B_LABEL    names of the sides in the output and the JSON file names (default A, B)
#   LEVELS, LEVEL_PATIENTS, PLAIN_BUNDLES   bench's --levels, --level-patients, --plain-bundles (1,4 / 15,30 / 60)
#   PORT, PG_PORT       server and embedded PostgreSQL ports (18180 / 15499)
#   BENCH_JAR           the bench jar (bench/target/cart-ltfu-bench.jar)
#
# Prints one line per ingest row and the load average at each start and at the end, then per ingest row the median
# of each side's runs and their ratio (needs jq); writes each run's JSON and its server's errors to the out dir.
set -euo pipefail
jar_a=$1; jar_b=$2; rounds=${3:-2}; out=${4:-bench/results/ab}
bench_jar=${BENCH_JAR:-bench/target/cart-ltfu-bench.jar}
levels=${LEVELS:-1,4}; level_patients=${LEVEL_PATIENTS:-15,30}; plain=${PLAIN_BUNDLES:-60}
label_a=${A_LABEL:-A}; label_b=${B_LABEL:-B}
read -r -a args_a <<< "${A_ARGS:-}"; read -r -a args_b <<< "${B_ARGS:-}"
port=${PORT:-18180}; pg=${PG_PORT:-15499}
mkdir -p "$out"
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

run() { # label jar run-number [extra server arguments...]
  local label=$1 jar=$2 n=$3 dir="$work/$1-$3"; shift 3
  local auth=(--auth-keys "$dir/keys")
  [[ " $* " == *" --hub.security.enabled=false "* ]] && auth=()
  mkdir -p "$dir"
  echo "== $label run $n, load average $(cut -d' ' -f1-3 /proc/loadavg)${*:+, server arguments: $*}"
  java -Xmx2g -jar "$jar" demo --server.port=$port --hub.demo.loader-jar=/nonexistent \
    --hub.demo.keys-dir="$dir/keys" --hub.storage.embedded-postgres.data-dir="$dir/pg" \
    --hub.storage.search-index-dir="$dir/lucene" \
    --hub.storage.embedded-postgres.port=$pg --management.endpoints.web.exposure.include=health,info,metrics \
    "$@" > "$dir/server.log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 240); do
    curl -sf "http://127.0.0.1:$port/fhir/metadata" >/dev/null 2>&1 && break
    kill -0 $pid 2>/dev/null || { tail -30 "$dir/server.log"; exit 1; }
    sleep 1
  done
  java -jar "$bench_jar" bench --server "http://127.0.0.1:$port/fhir" "${auth[@]}" \
    --workloads plain --levels "$levels" --level-patients "$level_patients" --plain-bundles "$plain" --searches 20 \
    --jdbc "jdbc:postgresql://127.0.0.1:$pg/postgres" --db-user postgres --pid $pid \
    --out "$out/$label-$n.json" | grep -E "ingest|copy" | sed "s/^/$label $n  /"
  kill $pid; wait $pid 2>/dev/null || true
  grep -E -A3 " ERROR |Failure during REST" "$dir/server.log" > "$out/$label-$n.server-errors.log" || true
}

for n in $(seq 1 "$rounds"); do
  if (( n % 2 )); then
    run "$label_a" "$jar_a" "$n" "${args_a[@]}"; run "$label_b" "$jar_b" "$n" "${args_b[@]}"
  else
    run "$label_b" "$jar_b" "$n" "${args_b[@]}"; run "$label_a" "$jar_a" "$n" "${args_a[@]}"
  fi
done
echo "== end, load average $(cut -d' ' -f1-3 /proc/loadavg)"

command -v jq >/dev/null || { echo "(no jq: per-row medians and ratios left out)"; exit 0; }
# Median over a side's runs of one ingest row; rows are matched by workload and concurrency.
median() { # label workload concurrency field
  for n in $(seq 1 "$rounds"); do
    jq -r --arg w "$2" --argjson c "$3" --arg f "$4" \
      '.rows[] | select(.workload == $w and .concurrency == $c) | .[$f]' "$out/$1-$n.json"
  done | sort -g | awk '{v[NR] = $1} END {if (NR) printf "%.1f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}
printf '%-14s %4s  %9s %9s %6s  %9s %9s %6s  %9s %9s %6s  %s\n' workload conc \
  "$label_a res/s" "$label_b res/s" "$label_b/$label_a" "$label_a p50" "$label_b p50" "$label_a/$label_b" \
  "$label_a p95" "$label_b p95" "$label_a/$label_b" "failures $label_a/$label_b"
jq -r '.rows[] | select(.workload | endswith("-ingest")) | "\(.workload) \(.concurrency)"' "$out/$label_a-1.json" |
while read -r w c; do
  ra=$(median "$label_a" "$w" "$c" resourcesPerSecond); rb=$(median "$label_b" "$w" "$c" resourcesPerSecond)
  pa=$(median "$label_a" "$w" "$c" p50Ms); pb=$(median "$label_b" "$w" "$c" p50Ms)
  qa=$(median "$label_a" "$w" "$c" p95Ms); qb=$(median "$label_b" "$w" "$c" p95Ms)
  fa=$(for n in $(seq 1 "$rounds"); do jq --arg w "$w" --argjson c "$c" '.rows[] | select(.workload == $w and .concurrency == $c) | .failures' "$out/$label_a-$n.json"; done | awk '{s += $1} END {print s + 0}')
  fb=$(for n in $(seq 1 "$rounds"); do jq --arg w "$w" --argjson c "$c" '.rows[] | select(.workload == $w and .concurrency == $c) | .failures' "$out/$label_b-$n.json"; done | awk '{s += $1} END {print s + 0}')
  awk -v w="$w" -v c="$c" -v ra="$ra" -v rb="$rb" -v pa="$pa" -v pb="$pb" -v qa="$qa" -v qb="$qb" -v f="$fa/$fb" \
    'BEGIN {printf "%-14s %4d  %9.1f %9.1f %6.2f  %9.0f %9.0f %6.2f  %9.0f %9.0f %6.2f  %s\n",
            w, c, ra, rb, rb / ra, pa, pb, pa / pb, qa, qb, qa / qb, f}'
done
echo "(medians over $rounds run(s) per side; res/s = transaction entries sent per second; p50/p95 per transaction, ms)"
