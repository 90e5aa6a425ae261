# Shared by scripts/bench.sh and scripts/soak.sh: loopback ports and the processes a run starts.
# The caller keeps the pids it started in the array `pids` (stop_pid removes what it stops).

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# Below the ephemeral range (32768-60999), so the load generator's own sockets never take it.
free_port() {
    local p
    while :; do
        p=$((20000 + RANDOM % 12000))
        port_open "$p" || { echo "$p"; return; }
    done
}
wait_port() {
    for _ in $(seq 1 200); do port_open "$1" && return 0; sleep 0.05; done
    echo "nothing listens on $1" >&2; return 1
}
# TERM, up to 15 s to finish (a server flushing its store), then KILL.
stop_pid() {
    local pid=$1 i
    kill -TERM "$pid" 2>/dev/null || return 0
    for i in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    local kept=() p
    for p in "${pids[@]+"${pids[@]}"}"; do [ "$p" != "$pid" ] && kept+=("$p"); done
    pids=("${kept[@]+"${kept[@]}"}")
}
