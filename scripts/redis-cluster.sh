#!/usr/bin/env bash
# A local Redis Cluster for tests and trials: 6 redis-servers on loopback (3 masters, 3 replicas),
# cluster-node-timeout 2000 ms, nothing persisted.
#   scripts/redis-cluster.sh start   -> prints REDIS_CLUSTER_NODES=127.0.0.1:p1,...,127.0.0.1:p6
#   scripts/redis-cluster.sh stop    -> stops the nodes started by `start` and removes their directory
#   scripts/redis-cluster.sh run CMD... -> runs CMD with REDIS_CLUSTER_NODES set: the given cluster when the
#                                         variable is set already, else one started for CMD and stopped after it
# State lives in ${TINY_CHAT_CLUSTER_DIR:-/tmp/tiny-chat-cluster}; one cluster per directory.
set -euo pipefail
dir=${TINY_CHAT_CLUSTER_DIR:-/tmp/tiny-chat-cluster}

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{process.stdout.write(s.address().port+"\n");s.close()})'
}

await() { # port, pattern, redis-cli command...: true once the command's answer holds the pattern (within 20 s)
  local port=$1 pattern=$2
  shift 2
  for _ in $(seq 1 200); do
    redis-cli -p "$port" "$@" 2>/dev/null | grep -q "$pattern" && return 0
    sleep 0.1
  done
  return 1
}

stop() {
  [ -d "$dir" ] || return 0
  for pidfile in "$dir"/*/redis.pid; do
    [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
  done
  sleep 0.3
  rm -rf "$dir"
}

start() {
  command -v redis-server >/dev/null || { echo "redis-server is not installed (apt-get install -y redis-server)" >&2; exit 1; }
  stop
  mkdir -p "$dir"
  local nodes=()
  for _ in 1 2 3 4 5 6; do
    local port
    port=$(free_port)
    mkdir -p "$dir/$port"
    # Each node runs in its own directory: nodes.conf, pid and log files do not collide.
    (cd "$dir/$port" && redis-server --bind 127.0.0.1 --port "$port" --cluster-enabled yes \
      --cluster-config-file nodes.conf --cluster-node-timeout 2000 --save '' --appendonly no \
      --repl-diskless-sync-delay 0 --daemonize yes --pidfile "$dir/$port/redis.pid" --logfile "$dir/$port/redis.log")
    nodes+=("127.0.0.1:$port")
  done
  for node in "${nodes[@]}"; do
    for _ in $(seq 1 100); do redis-cli -p "${node##*:}" ping 2>/dev/null | grep -q PONG && break; sleep 0.1; done
  done
  redis-cli --cluster create "${nodes[@]}" --cluster-replicas 1 --cluster-yes >"$dir/create.log" 2>&1 \
    || { cat "$dir/create.log" >&2; exit 1; }
  # Ready when every node sees the whole cluster as ok (slots assigned and agreed on), and every master has its
  # replica in sync: a replica that never synced cannot take over in a failover.
  for node in "${nodes[@]}"; do
    await "${node##*:}" 'cluster_state:ok' cluster info || { echo "cluster not ok on $node" >&2; exit 1; }
  done
  for node in "${nodes[@]}"; do
    redis-cli -p "${node##*:}" role 2>/dev/null | head -1 | grep -q master || continue
    await "${node##*:}" 'state=online' info replication || { echo "no replica in sync with $node" >&2; exit 1; }
  done
  local list
  list=$(IFS=,; echo "${nodes[*]}")
  echo "$list" >"$dir/nodes"
  echo "REDIS_CLUSTER_NODES=$list"
}

run() {
  if [ -n "${REDIS_CLUSTER_NODES:-}" ]; then "$@"; return; fi
  dir=$(mktemp -d /tmp/tiny-chat-cluster.XXXXXX)
  trap stop EXIT
  REDIS_CLUSTER_NODES=$(start | sed -n 's/^REDIS_CLUSTER_NODES=//p')
  export REDIS_CLUSTER_NODES TINY_CHAT_CLUSTER_DIR=$dir
  "$@"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  run) shift; run "$@" ;;
  *) echo "usage: $0 start|stop|run CMD..." >&2; exit 2 ;;
esac
