#!/usr/bin/env bash
# The reliability figures of the project: faults injected into a running cluster (ops/cluster.sh up) while spokes
# push, then bench's ingest-check counts what was stored (every acknowledged transaction whole, nothing twice,
# nothing in part). Prints one line per run and a summary; writes JSON and the summary to the out dir.
#
#   ops/faults.sh kill [runs=20]        kill -9 an instance (in turn) in the middle of 16 pushing spokes, restart it
#   ops/faults.sh pg-restart [runs=3]   restart PostgreSQL under load; the instances must recover without a restart
#   ops/faults.sh opensearch [runs=2]   stop OpenSearch for 20 s under load, start it again
#   ops/faults.sh soak [minutes=30]     16 spokes for that long: 5xx, p95 per minute, instances' RSS per minute
#   ops/faults.sh all                   kill 20, pg-restart 3, opensearch 2, soak 30
#
# Environment: PATIENTS per run (6), WORKERS (16), OUT (bench/results/faults), BENCH_JAR, and CLUSTER_* as for
# ops/cluster.sh.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
dir=${CLUSTER_DIR:-/tmp/cart-ltfu-cluster}
port=${CLUSTER_PORT:-8080}
bench_jar=${BENCH_JAR:-$root/bench/target/cart-ltfu-bench.jar}
patients=${PATIENTS:-6}
workers=${WORKERS:-16}
out=${OUT:-$root/bench/results/faults}
mkdir -p "$out"
server="http://127.0.0.1:$port/fhir"
instances=$(cat "$dir/instances")
cluster() { bash "$here/cluster.sh" "$@"; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
# Each run pushes patients no earlier run pushed (offset from the database's own count of runs so far).
next_from() { local f="$out/.next-patient"; local n; n=$(cat "$f" 2>/dev/null || echo 100000); echo $((n + patients)) > "$f"; echo "$n"; }

check() { # name, then ingest-check options; runs in the background, pid in $check_pid
  local name=$1; shift
  java -jar "$bench_jar" ingest-check --server "$server" --auth-keys "$dir/keys" --workers "$workers" \
    --out "$out/$name.json" "$@" > "$out/$name.log" 2>&1 &
  check_pid=$!
}

verdict() { # name: waits for its check and prints its line
  local name=$1 rc=0
  wait "$check_pid" || rc=$?
  echo "$name: $(grep '^ingest-check' "$out/$name.log" || tail -3 "$out/$name.log") (load $(load))"
  return $rc
}

ready_all() {
  for n in $(seq 1 "$instances"); do
    curl -sf "http://127.0.0.1:$((8180 + n))/actuator/health/readiness" | grep -q UP || return 1
  done
}

kill_runs() {
  local runs=${1:-20} failed=0
  for r in $(seq 1 "$runs"); do
    local victim=$(( (r - 1) % instances + 1 )) delay=$(( 8 + RANDOM % 12 ))
    check "kill-$r" --patients "$patients" --from "$(next_from)"
    sleep "$delay"
    cluster kill "$victim" > /dev/null
    echo "  run $r: instance $victim killed after $delay s"
    sleep 2
    cluster start "$victim" > "$out/kill-$r.restart.log" 2>&1 || { echo "  instance $victim did not come back"; cat "$out/kill-$r.restart.log"; }
    verdict "kill-$r" || failed=$((failed + 1))
  done
  index_check || failed=$((failed + 1))
  echo "kill -9: $runs runs, $failed not clean"
  return $failed
}

pg_runs() {
  local runs=${1:-3} failed=0
  for r in $(seq 1 "$runs"); do
    check "pg-restart-$r" --patients "$patients" --from "$(next_from)"
    sleep 12
    cluster pg-restart > /dev/null
    echo "  run $r: PostgreSQL restarted"
    verdict "pg-restart-$r" || failed=$((failed + 1))
    ready_all && echo "  every instance ready again without a restart" || { echo "  an instance is not ready"; failed=$((failed + 1)); }
  done
  index_check || failed=$((failed + 1))
  echo "PostgreSQL restart: $runs runs, $failed not clean"
  return $failed
}

opensearch_runs() {
  local runs=${1:-2} failed=0
  for r in $(seq 1 "$runs"); do
    check "opensearch-$r" --patients "$patients" --from "$(next_from)"
    sleep 10
    cluster os-stop > /dev/null
    echo "  run $r: OpenSearch stopped; a _content search answers: $(search | head -c 200)"
    sleep 20
    cluster os-start > /dev/null
    echo "  run $r: OpenSearch started"
    verdict "opensearch-$r" || failed=$((failed + 1))
    echo "  run $r: the search now answers: $(search | head -c 120)"
    index_check || failed=$((failed + 1))
  done
  echo "OpenSearch stop/start: $runs runs, $failed not clean"
  return $failed
}

# With OpenSearch: once no write is waiting for its document (a killed instance's wait out their 60 s grace and are
# repaired), every live resource in PostgreSQL has its document in the index.
index_check() {
  [[ "$(cat "$dir/search" 2>/dev/null)" == opensearch ]] || return 0
  local os_port=${OPENSEARCH_PORT:-9201} pending docs rows
  for _ in $(seq 1 40); do
    pending=$(sql "SELECT count(*) FROM hub_search_index_pending")
    curl -s -XPOST "http://127.0.0.1:$os_port/_refresh" > /dev/null
    docs=$(curl -s "http://127.0.0.1:$os_port/resourcetable-read/_count" | jq -r .count)
    rows=$(sql "SELECT count(*) FROM hfj_resource WHERE res_deleted_at IS NULL")
    if [[ "$pending" == 0 && "$docs" == "$rows" ]]; then
      echo "  search index complete: $rows live resources in PostgreSQL, $docs documents in OpenSearch"; return 0
    fi
    sleep 5
  done
  echo "  search index INCOMPLETE: $rows live resources, $docs documents, $pending writes waiting for their document"; return 1
}

sql() { PGPASSWORD=hub psql -h 127.0.0.1 -U hub -d "${CLUSTER_DB:-hub_cluster}" -tAc "$1"; }

search() { java -jar "$bench_jar" get --server "$server" --auth-keys "$dir/keys" --path 'Observation?_content=fever&_count=1' 2>&1 | tail -1; }

soak() {
  local minutes=${1:-30} rss="$out/soak-rss.tsv"
  printf 'minute' > "$rss"; for n in $(seq 1 "$instances"); do printf '\tinstance-%s_MB' "$n" >> "$rss"; done; echo >> "$rss"
  check soak --patients 100000 --from "$(next_from)" --budget-seconds $((minutes * 60))
  for m in $(seq 0 "$minutes"); do
    printf '%s' "$m" >> "$rss"
    for n in $(seq 1 "$instances"); do
      printf '\t%s' "$(( $(ps -o rss= -p "$(cat "$dir/instance-$n/pid")" 2>/dev/null || echo 0) / 1024 ))" >> "$rss"
    done
    echo >> "$rss"
    kill -0 "$check_pid" 2>/dev/null || break
    sleep 60
  done
  verdict soak
  echo "RSS per minute (MB):"; column -t "$rss"
}

echo "== $1, $instances instances behind $server, $patients patients per run, $workers workers, load $(load)"
case "${1:-}" in
  kill) kill_runs "${2:-20}" ;;
  pg-restart) pg_runs "${2:-3}" ;;
  opensearch) opensearch_runs "${2:-2}" ;;
  soak) soak "${2:-30}" ;;
  all) rc=0; kill_runs 20 || rc=1; pg_runs 3 || rc=1; opensearch_runs 2 || rc=1; soak 30 || rc=1; exit $rc ;;
  *) sed -n '2,15p' "$0"; exit 2 ;;
esac
