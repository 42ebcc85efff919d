#!/usr/bin/env bash
# One OpenSearch node in its own JVM (OpenSearchNode, built from this directory's pom on first use).
#   opensearch.sh start PORT DATADIR LOGFILE   returns when the node answers (data in DATADIR survives restarts)
#   opensearch.sh stop DATADIR                 stops it (SIGTERM, then SIGKILL after 30 s)
#   opensearch.sh status PORT
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
heap=${OPENSEARCH_HEAP:-768m}

build() {
  [[ -d "$here/target/lib" && -f "$here/target/classes/org/cartltfu/ops/OpenSearchNode.class" ]] && return 0
  "$root/mvnw" -B -q -f "$here/pom.xml" package -DskipTests
}

case "${1:-}" in
  start)
    port=$2 data=$3 log=$4
    build
    mkdir -p "$data"
    if [[ -f "$data/pid" ]] && kill -0 "$(cat "$data/pid")" 2>/dev/null; then
      echo "opensearch already running (pid $(cat "$data/pid"))"; exit 0
    fi
    java -Xms"$heap" -Xmx"$heap" -cp "$here/target/classes:$here/target/lib/*" \
      org.cartltfu.ops.OpenSearchNode "$port" "$data" >> "$log" 2>&1 &
    echo $! > "$data/pid"
    for _ in $(seq 1 180); do
      if curl -sf "http://127.0.0.1:$port/_cluster/health" 2>/dev/null | grep -q '"status":"\(green\|yellow\)"'; then
        echo "opensearch ready on :$port (pid $(cat "$data/pid"))"; exit 0
      fi
      kill -0 "$(cat "$data/pid")" 2>/dev/null || { echo "opensearch died:"; tail -30 "$log"; exit 1; }
      sleep 1
    done
    echo "opensearch did not become ready in 180 s"; tail -30 "$log"; exit 1
    ;;
  stop)
    data=$2
    [[ -f "$data/pid" ]] || exit 0
    pid=$(cat "$data/pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$data/pid"
    echo "opensearch stopped"
    ;;
  status)
    curl -sf "http://127.0.0.1:$2/_cluster/health" || { echo "opensearch down"; exit 1; }
    ;;
  *) echo "usage: $0 start PORT DATADIR LOG | stop DATADIR | status PORT"; exit 2 ;;
esac
