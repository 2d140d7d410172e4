#!/usr/bin/env bash
# Start/stop a real Elasticsearch 7.10.2 or OpenSearch 2.19.1 node (or cluster) on 127.0.0.1
# from Maven Central jars (codelibs runners), for tests and benchmarks. Needs java (17) and mvn.
#
#   scripts/engines/engine.sh resolve FLAVOUR               # fetch jars into ~/.m2 (idempotent)
#   scripts/engines/engine.sh start FLAVOUR DIR [NODES] [BASE_PORT]
#       starts NODES nodes (default 1) with data under DIR, node 1 on http://127.0.0.1:BASE_PORT+1,
#       waits for green (yellow is accepted for 1 node), prints the URL; pid in DIR/pid, log in DIR/log
#   scripts/engines/engine.sh stop DIR
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
    setsid java -Xms"${ENGINE_HEAP:-512m}" -Xmx"${ENGINE_HEAP:-512m}" -XX:+UseSerialGC \
      -Djava.awt.headless=true -Dlog4j2.disable.jmx=true \
      -Des.distribution.flavor=default -Des.distribution.type=tar \
      -cp "$cp" "$here/$flavour/Node.java" -basePath "$dir/nodes" -numOfNode "$nodes" -baseHttpPort "$base" \
      >"$dir/log" 2>&1 </dev/null &
    echo $! >"$dir/pid"
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
  stop)
    dir="${2:?data dir}"; [[ -f "$dir/pid" ]] || exit 0
    pid="$(cat "$dir/pid")"
    kill -- -"$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -9 -- -"$pid" 2>/dev/null || true; rm -f "$dir/pid" ;;
  *) echo "usage: engine.sh resolve|start|stop" >&2; exit 2 ;;
esac
