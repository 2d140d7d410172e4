#!/usr/bin/env bash
# Start/stop a real Elasticsearch 7.10.2 or OpenSearch 2.19.1 node (or cluster) on 127.0.0.1
# from Maven Central jars (codelibs runners), for tests and benchmarks. Needs java (17) and mvn.
#
#   scripts/engines/engine.sh resolve FLAVOUR               # fetch jars into ~/.m2 (idempotent)
#   scripts/engines/engine.sh start FLAVOUR DIR [NODES] [BASE_PORT]
#       starts NODES nodes (default 1) with data under DIR, node 1 on http://127.0.0.1:BASE_PORT+1,
#       waits for green (yellow is accepted for 1 node), prints the URL; pid in DIR/pid, log in DIR/log
#   scripts/engines/engine.sh start-nodes opensearch DIR NODES BASE_PORT
#       the same cluster as NODES separate JVMs (node K: DIR/nK, pid in DIR/pid.K, log in DIR/log.K,
#       http://127.0.0.1:BASE_PORT+K), started one after the other so that one node can be killed
#       alone; waits for green and prints the node URLs comma-separated
#   scripts/engines/engine.sh stop DIR                      # stops every JVM started under DIR
# FLAVOUR: opensearch | elasticsearch. Heap: ENGINE_HEAP (default 512m per JVM).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cmd="${1:?usage: engine.sh resolve|start|stop ...}"

check_flavour() {
  case "$1" in
    opensearch|elasticsearch) ;;
    *) echo "unknown engine flavour $1 (opensearch|elasticsearch)" >&2; exit 2 ;;
  esac
}

classpath() {  # resolves (offline when cached) and prints the classpath
  local flavour="$1" out="$here/$1/.classpath"
  check_flavour "$flavour"
  if [[ ! -s "$out" || "$here/$flavour/pom.xml" -nt "$out" ]]; then
    (cd "$here/$flavour" && mvn -q -B dependency:build-classpath -Dmdep.outputFile="$out" >&2) || {
      echo "maven could not resolve the $flavour runner jars (see output above)" >&2; rm -f "$out"; exit 3; }
  fi
  cat "$out"
}

java_node() {  # java_node FLAVOUR CLASSPATH LOG PIDFILE NODE-ARGS...: one JVM in its own session
  local flavour="$1" cp="$2" log="$3" pidfile="$4"; shift 4
  setsid java -Xms"${ENGINE_HEAP:-512m}" -Xmx"${ENGINE_HEAP:-512m}" -XX:+UseSerialGC \
    -Djava.awt.headless=true -Dlog4j2.disable.jmx=true \
    -Des.distribution.flavor=default -Des.distribution.type=tar \
    -cp "$cp" "$here/$flavour/Node.java" "$@" >"$log" 2>&1 </dev/null &
  echo $! >"$pidfile"
}

stop_pid() {  # stop_pid PIDFILE: TERM the JVM's process group, KILL it after 30 s
  local pid; pid="$(cat "$1")"
  kill -- -"$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  kill -9 -- -"$pid" 2>/dev/null || kill -9 "$pid" 2>/dev/null || true; rm -f "$1"
}

case "$cmd" in
  resolve) classpath "${2:?flavour}" >/dev/null ;;
  start)
    flavour="${2:?flavour}"; dir="${3:?data dir}"; nodes="${4:-1}"; base="${5:-9200}"
    cp="$(classpath "$flavour")"
    mkdir -p "$dir"; dir="$(cd "$dir" && pwd)"
    port=$((base + 1))
    # Node.java (run as a single-file source) binds every node to 127.0.0.1. The distribution
    # flavour is what the official tarball's launcher sets; without it the 7.x Python client
    # refuses the server ("not a supported distribution"). Heap modest: the machine is shared.
    java_node "$flavour" "$cp" "$dir/log" "$dir/pid" -basePath "$dir/nodes" -numOfNode "$nodes" -baseHttpPort "$base"
    want=green; [[ "$nodes" == 1 ]] && want=yellow
    for _ in $(seq 1 120); do
      if ! kill -0 "$(cat "$dir/pid")" 2>/dev/null; then
        echo "$flavour node exited during start-up; last log lines:" >&2; tail -n 30 "$dir/log" >&2; exit 4
      fi
      if curl -sf "http://127.0.0.1:$port/_cluster/health?wait_for_status=$want&wait_for_nodes=$nodes&timeout=1s" >/dev/null 2>&1; then
        echo "http://127.0.0.1:$port"; exit 0
      fi
      sleep 1
    done
    echo "$flavour did not become $want within 120 s; last log lines:" >&2; tail -n 30 "$dir/log" >&2
    kill -- -"$(cat "$dir/pid")" 2>/dev/null || true; exit 5 ;;
  start-nodes)
    flavour="${2:?flavour}"; dir="${3:?data dir}"; nodes="${4:?number of nodes}"; base="${5:?base port}"
    [[ "$flavour" == opensearch ]] || { echo "start-nodes supports opensearch only" >&2; exit 2; }
    cp="$(classpath "$flavour")"
    mkdir -p "$dir"; dir="$(cd "$dir" && pwd)"
    urls=""
    for k in $(seq 1 "$nodes"); do
      # One JVM after the other (the machine is small): node K answers HTTP before K+1 starts.
      java_node "$flavour" "$cp" "$dir/log.$k" "$dir/pid.$k" \
        -basePath "$dir/n$k" -baseHttpPort "$base" -nodeOrdinal "$k" -clusterNodes "$nodes"
      url="http://127.0.0.1:$((base + k))"; urls="${urls:+$urls,}$url"
      for i in $(seq 1 121); do
        if ! kill -0 "$(cat "$dir/pid.$k")" 2>/dev/null; then
          echo "$flavour node $k exited during start-up; last log lines:" >&2; tail -n 30 "$dir/log.$k" >&2
          for f in "$dir"/pid.*; do stop_pid "$f"; done; exit 4
        fi
        curl -s -o /dev/null "$url/" 2>/dev/null && break
        if [[ "$i" == 121 ]]; then
          echo "$flavour node $k did not answer on $url within 120 s; last log lines:" >&2
          tail -n 30 "$dir/log.$k" >&2; for f in "$dir"/pid.*; do stop_pid "$f"; done; exit 5
        fi
        sleep 1
      done
    done
    for _ in $(seq 1 120); do
      if curl -sf "http://127.0.0.1:$((base + 1))/_cluster/health?wait_for_status=green&wait_for_nodes=$nodes&timeout=1s" \
        >/dev/null 2>&1; then
        echo "$urls"; exit 0
      fi
      sleep 1
    done
    echo "the $nodes $flavour nodes did not form a green cluster within 120 s; last log lines of node 1:" >&2
    tail -n 30 "$dir/log.1" >&2; for f in "$dir"/pid.*; do stop_pid "$f"; done; exit 5 ;;
  stop)
    dir="${2:?data dir}"
    for f in "$dir"/pid "$dir"/pid.*; do [[ -f "$f" ]] && stop_pid "$f"; done; exit 0 ;;
  *) echo "usage: engine.sh resolve|start|stop" >&2; exit 2 ;;
esac
