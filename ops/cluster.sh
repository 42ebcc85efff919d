#!/usr/bin/env bash
# A hub cluster on this machine, for trying scale-out and faults: N server instances (default 3) on one PostgreSQL
# (the system PostgreSQL 15), Hibernate Search on one OpenSearch node (its own JVM, ops/opensearch), and nginx in
# front as the load balancer. The production shape of the same topology is docker/compose.cluster.yaml (with docker/nginx.conf).
#
#   ops/cluster.sh up [instances=3]    start everything (a fresh database and index: CLUSTER_KEEP=1 keeps them)
#   ops/cluster.sh down                stop everything
#   ops/cluster.sh status              what runs
#   ops/cluster.sh kill N              kill -9 instance N (1-based)      ops/cluster.sh start N   start it again
#   ops/cluster.sh pg-restart          restart PostgreSQL                ops/cluster.sh os-stop | os-start
#
# The balancer answers on http://127.0.0.1:${CLUSTER_PORT:-8080} (/fhir, /auth/token, /app); instance N on 8180+N.
# Clients (SMART Backend Services, one per demo site: sg-sgh hub, vn-bachmai in-aiims my-hkl cn-pumch spokes,
# us-cibmtr registry) are registered with the server's admin command; their private keys are in $CLUSTER_DIR/keys,
# where bench's --auth-keys reads them. Needs: a built server jar (./mvnw -DskipTests package), nginx (apt-get install
# nginx), the system PostgreSQL (pg_ctlcluster), curl. Runs as root (PostgreSQL through runuser).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
dir=${CLUSTER_DIR:-/tmp/cart-ltfu-cluster}
jar=${HUB_JAR:-$root/server/target/cart-ltfu-server.jar}
port=${CLUSTER_PORT:-8080}
os_port=${OPENSEARCH_PORT:-9201}
db=${CLUSTER_DB:-hub_cluster}
pg_version=${PG_VERSION:-15}
heap=${HUB_HEAP:-1g}
# opensearch (the cluster's shape) or lucene (each instance its own local index: full-text answers then differ
# between instances; only for trying the rest without OpenSearch)
search=${CLUSTER_SEARCH:-$(cat "${CLUSTER_DIR:-/tmp/cart-ltfu-cluster}/search" 2>/dev/null || echo opensearch)}
mkdir -p "$dir"

instance_port() { echo $((8180 + $1)); }
count() { cat "$dir/instances" 2>/dev/null || echo 3; }
public_url() { echo "http://127.0.0.1:$port"; }

pg_up() {
  pg_ctlcluster "$pg_version" main status >/dev/null 2>&1 || pg_ctlcluster "$pg_version" main start
  if [[ -z "${CLUSTER_KEEP:-}" ]]; then
    runuser -u postgres -- psql -q -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null
  fi
  runuser -u postgres -- psql -tAc "SELECT 1 FROM pg_roles WHERE rolname = 'hub'" | grep -q 1 ||
    runuser -u postgres -- psql -q -c "CREATE ROLE hub LOGIN PASSWORD 'hub'"
  runuser -u postgres -- psql -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1 ||
    runuser -u postgres -- createdb -O hub "$db"
}

server_args() { # instance number
  local n=$1
  echo --server.port="$(instance_port "$n")" --server.address=127.0.0.1 \
    --spring.datasource.url="jdbc:postgresql://127.0.0.1:5432/$db" --spring.datasource.username=hub \
    --spring.datasource.password=hub \
    --hub.storage.search-index-dir="$dir/instance-$n/index" \
    --hub.security.token.public-url="$(public_url)/auth/token" \
    $(search_args) ${HUB_ARGS:-}
}

search_args() {
  [[ "$search" == opensearch ]] || return 0
  echo --hub.storage.search-index.backend=opensearch --hub.storage.search-index.hosts="127.0.0.1:$os_port"
}

start_instance() { # instance number; returns when it is ready
  local n=$1 p; p=$(instance_port "$1")
  mkdir -p "$dir/instance-$n"
  # shellcheck disable=SC2046
  java -Xmx"$heap" -XX:+ExitOnOutOfMemoryError -jar "$jar" $(server_args "$n") \
    >> "$dir/instance-$n/server.log" 2>&1 &
  echo $! > "$dir/instance-$n/pid"
  wait_ready "$n"
}

wait_ready() {
  local n=$1 p pid; p=$(instance_port "$1"); pid=$(cat "$dir/instance-$n/pid")
  for _ in $(seq 1 240); do
    curl -sf "http://127.0.0.1:$p/actuator/health/readiness" 2>/dev/null | grep -q UP && {
      echo "instance $n ready on :$p (pid $pid)"; return 0; }
    kill -0 "$pid" 2>/dev/null || { echo "instance $n died:"; tail -40 "$dir/instance-$n/server.log"; return 1; }
    sleep 1
  done
  echo "instance $n not ready after 240 s"; return 1
}

register_clients() {
  mkdir -p "$dir/keys"
  local pids=()
  for spec in sg-sgh:hub:sg-sgh vn-bachmai:spoke:vn-bachmai in-aiims:spoke:in-aiims my-hkl:spoke:my-hkl \
              cn-pumch:spoke:cn-pumch us-cibmtr:registry:us-cibmtr; do
    IFS=: read -r id role site <<< "$spec"
    (
      # shellcheck disable=SC2046
      java -jar "$jar" admin client --id="$id" --role="$role" --site="$site" --hub-url="$(public_url)" \
        $(server_args 1 | tr ' ' '\n' | grep -E '^--spring\.datasource') > "$dir/keys/$id.txt" 2>&1
      sed -n '/BEGIN PRIVATE KEY/,/END PRIVATE KEY/p' "$dir/keys/$id.txt" > "$dir/keys/$id.pem"
      grep -o 'key id [^,]*' "$dir/keys/$id.txt" | sed 's/key id //' | tr -d '\n' > "$dir/keys/$id.kid"
      [[ -s "$dir/keys/$id.pem" ]] || { echo "registering $id failed:"; cat "$dir/keys/$id.txt"; exit 1; }
    ) &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid"; done
  cp "$dir/keys/us-cibmtr.pem" "$dir/keys/registry.pem"
  echo "clients registered; keys in $dir/keys"
}

nginx_conf() {
  local n; n=$(count)
  {
    echo "worker_processes 2;"
    echo "pid $dir/nginx.pid;"
    echo "error_log $dir/nginx-error.log warn;"
    echo "events { worker_connections 4096; }"
    echo "http {"
    echo "  access_log $dir/nginx-access.log;"
    echo "  client_max_body_size 256m;"
    echo "  client_body_temp_path $dir/nginx-body; proxy_temp_path $dir/nginx-proxy;"
    echo "  fastcgi_temp_path $dir/nginx-fcgi; uwsgi_temp_path $dir/nginx-uwsgi; scgi_temp_path $dir/nginx-scgi;"
    echo "  upstream hub {"
    for i in $(seq 1 "$n"); do
      echo "    server 127.0.0.1:$(instance_port "$i") max_fails=1 fail_timeout=3s;"
    done
    echo "    keepalive 64;"
    echo "  }"
    echo "  server {"
    echo "    listen 127.0.0.1:$port;"
    echo "    location / {"
    echo "      proxy_pass http://hub;"
    echo "      proxy_http_version 1.1;"
    echo "      proxy_set_header Connection \"\";"
    echo "      proxy_set_header Host \$http_host;"
    echo "      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;"
    echo "      proxy_set_header X-Forwarded-Proto \$scheme;"
    echo "      proxy_read_timeout 300s;"
    # A request that never reached an instance (refused connection) goes to the next one; one that did is not
    # resent by the balancer when it is not idempotent (POST): the client decides.
    echo "      proxy_next_upstream error timeout http_502 http_503;"
    echo "      proxy_next_upstream_tries 3;"
    echo "      proxy_request_buffering on;"
    echo "    }"
    echo "  }"
    echo "}"
  } > "$dir/nginx.conf"
}

nginx_up() {
  nginx_conf
  if [[ -f "$dir/nginx.pid" ]] && kill -0 "$(cat "$dir/nginx.pid")" 2>/dev/null; then
    nginx -p "$dir" -c "$dir/nginx.conf" -s reload
  else
    nginx -p "$dir" -c "$dir/nginx.conf"
  fi
  echo "balancer on $(public_url)"
}

up() {
  local n=${1:-3}
  [[ -f "$jar" ]] || { echo "no server jar at $jar: ./mvnw -DskipTests package"; exit 1; }
  down >/dev/null 2>&1 || true
  echo "$n" > "$dir/instances"
  echo "$search" > "$dir/search"
  [[ -z "${CLUSTER_KEEP:-}" ]] && rm -rf "$dir/opensearch" "$dir"/instance-* "$dir/keys"
  pg_up
  [[ "$search" == opensearch ]] &&
    bash "$here/opensearch/opensearch.sh" start "$os_port" "$dir/opensearch" "$dir/opensearch.log"
  # Clients first (their tables are made by the command); instance 1 alone makes the schema and the indexes.
  [[ -d "$dir/keys" ]] || register_clients
  start_instance 1
  local pids=()
  for i in $(seq 2 "$n"); do start_instance "$i" & pids+=($!); done
  for pid in "${pids[@]}"; do wait "$pid"; done
  nginx_up
  echo "cluster up: $n instances behind $(public_url)/fhir; keys in $dir/keys"
}

down() {
  [[ -f "$dir/nginx.pid" ]] && nginx -p "$dir" -c "$dir/nginx.conf" -s quit 2>/dev/null || true
  for f in "$dir"/instance-*/pid; do
    [[ -f "$f" ]] || continue
    kill "$(cat "$f")" 2>/dev/null || true
  done
  for f in "$dir"/instance-*/pid; do
    [[ -f "$f" ]] || continue
    for _ in $(seq 1 60); do kill -0 "$(cat "$f")" 2>/dev/null || break; sleep 1; done
    kill -9 "$(cat "$f")" 2>/dev/null || true
    rm -f "$f"
  done
  bash "$here/opensearch/opensearch.sh" stop "$dir/opensearch" 2>/dev/null || true
  echo "cluster down (PostgreSQL left running; database $db kept until the next up)"
}

status() {
  for f in "$dir"/instance-*/pid; do
    [[ -f "$f" ]] || continue
    local n; n=$(basename "$(dirname "$f")" | sed 's/instance-//')
    if kill -0 "$(cat "$f")" 2>/dev/null; then
      echo "instance $n: pid $(cat "$f"), rss $(( $(ps -o rss= -p "$(cat "$f")") / 1024 )) MB," \
        "$(curl -s "http://127.0.0.1:$(instance_port "$n")/actuator/health/readiness" || echo down)"
    else
      echo "instance $n: not running"
    fi
  done
  curl -s "http://127.0.0.1:$os_port/_cluster/health" | sed 's/^/opensearch: /' || echo "opensearch: down"
  echo
  pg_ctlcluster "$pg_version" main status >/dev/null 2>&1 && echo "postgresql: up" || echo "postgresql: down"
  [[ -f "$dir/nginx.pid" ]] && kill -0 "$(cat "$dir/nginx.pid")" 2>/dev/null && echo "nginx: up on :$port" || echo "nginx: down"
}

case "${1:-}" in
  up) up "${2:-3}" ;;
  down) down ;;
  status) status ;;
  kill) kill -9 "$(cat "$dir/instance-$2/pid")"; echo "instance $2 killed (kill -9)" ;;
  start) start_instance "$2" ;;
  pg-restart) pg_ctlcluster "$pg_version" main restart -m fast; echo "postgresql restarted" ;;
  os-stop) bash "$here/opensearch/opensearch.sh" stop "$dir/opensearch" ;;
  os-start) bash "$here/opensearch/opensearch.sh" start "$os_port" "$dir/opensearch" "$dir/opensearch.log" ;;
  *) sed -n '2,18p' "$0"; exit 2 ;;
esac
