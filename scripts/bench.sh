#!/usr/bin/env bash
# Load benchmark: Mythos Chat against nats-server's own WebSocket listener, in the same run, on
# loopback. Builds Release, starts nats-server and mythos-chatd on free ports with temporary
# configurations, runs the scenarios with tests/bench/loadgen and writes the tables (see
# docs/performance.md for what each scenario does).
#   scripts/bench.sh [--quick] [--only idle,fanout,rooms,store] [--out FILE] [--profile]
#                    [--build-dir DIR] [--no-build] [--keep]
# --quick: small sizes, tables printed and written to <build>/bench-quick.md (docs untouched
# unless --out is given). Full sizes take about 4 minutes. The environment reaches the servers
# (e.g. QT_NO_GLIB=1 scripts/bench.sh to try Qt's UNIX event dispatcher).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# Its own build folder: run.sh configures build-release without the test tree, where loadgen lives.
build=$root/build-bench
quick=0
only="idle,fanout,rooms,store"
out=""
profile=0
do_build=1
keep=0
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) quick=1 ;;
        --only) only=$2; shift ;;
        --out) out=$2; shift ;;
        --profile) profile=1 ;;
        --build-dir) build=$2; shift ;;
        --no-build) do_build=0 ;;
        --keep) keep=1 ;;
        -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
    shift
done

if [ "$quick" = 1 ]; then
    idle_n=1000; fan_n=200; fan_senders=10; fan_rate=100; fan_window=16
    room_p=1000; room_r=100; room_rate=500; store_senders=20; store_window=8; store_rate=2000
    duration=3; store_rows=20000
    [ -n "$out" ] || out=$build/bench-quick.md
else
    idle_n=15000; fan_n=2000; fan_senders=20; fan_rate=50; fan_window=16
    room_p=10000; room_r=1000; room_rate=2000; store_senders=200; store_window=32; store_rate=10000
    duration=10; store_rows=200000
    [ -n "$out" ] || out=$root/docs/performance.md
fi
threads=2

if [ "$do_build" = 1 ]; then
    echo "== building Release in $build"
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=ON >/dev/null
    cmake --build "$build" --target mythos-chatd loadgen bench_store bench_filter
fi
chatd=$build/server/mythos-chatd
loadgen=$build/tests/bench/loadgen
bench_store=$build/tests/bench/bench_store
bench_filter=$build/tests/bench/bench_filter
for f in "$chatd" "$loadgen"; do [ -x "$f" ] || { echo "missing $f (build it or drop --no-build)" >&2; exit 1; }; done
command -v nats-server >/dev/null || { echo "nats-server is not installed" >&2; exit 1; }

# Every process started here (servers and load generator) may hold up to the hard limit of open
# files: 15,000 connections need 15,000 descriptors on both sides.
ulimit -n "$(ulimit -Hn)"

work=$(mktemp -d /tmp/mythos-bench.XXXXXX)
results=$work/results
mkdir -p "$results"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    if [ "$keep" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# shellcheck source=lib/processes.sh
source "$root/scripts/lib/processes.sh"
stop_all() { for pid in "${pids[@]+"${pids[@]}"}"; do stop_pid "$pid"; done; }

# nats-server with its core port (for chatd) and a WebSocket listener (the baseline).
# Sets nats_pid, nats_port, nats_ws.
start_nats() {
    nats_port=$(free_port); nats_ws=$(free_port)
    local dir=$work/nats-$nats_port
    mkdir -p "$dir"
    cat >"$dir/nats.conf" <<EOF
host: 127.0.0.1
port: $nats_port
max_payload: 1048576
websocket { host: 127.0.0.1, port: $nats_ws, no_tls: true }
EOF
    nats-server -c "$dir/nats.conf" >"$dir/nats.log" 2>&1 &
    nats_pid=$!
    pids+=("$nats_pid")
    wait_port "$nats_port"; wait_port "$nats_ws"
}

# mythos-chatd with guests, client moves, no rate limits, defaults otherwise (content filter,
# history on SQLite in a temporary data dir, audit logs). Sets chatd_pid, chatd_port.
start_chatd() {
    local id=$1
    chatd_port=$(free_port)
    local dir=$work/$id
    mkdir -p "$dir/data"
    cat >"$dir/config.yaml" <<EOF
server:
  host: 127.0.0.1
  port: $chatd_port
  server_id: $id
  data_dir: $dir/data
  max_connections: 19000
auth:
  allow_guests: true
  jwt_secret: bench-secret-not-for-production
presence:
  client_moves: true
nats:
  url: nats://127.0.0.1:$nats_port
chat:
  rate_limiting:
    enabled: false
EOF
    "$chatd" --config "$dir/config.yaml" >"$dir/chatd.log" 2>&1 &
    chatd_pid=$!
    pids+=("$chatd_pid")
    for _ in $(seq 1 200); do
        curl -sf "http://127.0.0.1:$chatd_port/health" >/dev/null 2>&1 && return 0
        kill -0 "$chatd_pid" 2>/dev/null || break
        sleep 0.05
    done
    echo "mythos-chatd ($id) did not start:" >&2; tail -20 "$dir/chatd.log" >&2; return 1
}

# run_loadgen NAME ARGS...: runs it, keeps its RESULT line in $results/NAME.
run_loadgen() {
    local name=$1; shift
    echo "-- $name" >&2
    local line
    line=$("$loadgen" --threads "$threads" --scenario "$name" "$@" 2>"$results/$name.err" | grep '^RESULT' || true)
    [ -s "$results/$name.err" ] && sed 's/^/   /' "$results/$name.err" | head -12 >&2
    if [ -z "$line" ]; then echo "   (no result)" >&2; line="RESULT scenario=$name failed=1"; fi
    echo "$line" >"$results/$name"
    echo "   ${line#RESULT }" >&2
}
# val NAME KEY: a field of a kept RESULT line (empty when absent).
val() { [ -f "$results/$1" ] && tr ' ' '\n' <"$results/$1" | sed -n "s/^$2=//p" | head -1; }
calc() { awk "BEGIN { v = $1; printf \"%.${2:-1}f\", v }" 2>/dev/null || echo "?"; }
ratio() { local a=$1 b=$2; [ -n "$a" ] && [ -n "$b" ] && awk "BEGIN { exit !($b > 0) }" && calc "100 * $a / $b" 0 || echo "?"; }
has() { [[ ",$only," == *",$1,"* ]]; }
# With --profile: a flat CPU profile (perf, software clock) of one server process over the
# measured window of load generator run RUN (profile_start NAME PID RUN), written to <build>/bench-profile-NAME.txt.
profile_start() {
    profile_job=""
    [ "$profile" = 1 ] && command -v perf >/dev/null || return 0
    profile_name=$1
    local started_file=$results/$3.err
    rm -f "$started_file"
    # Starts when the load generator says its measured window begins.
    (for _ in $(seq 1 3000); do grep -q 'measuring' "$started_file" 2>/dev/null && break; sleep 0.1; done
     perf record -e cpu-clock -F 1999 -o "$work/perf-$1.data" -p "$2" -- sleep "$duration" >/dev/null 2>&1) &
    profile_job=$!
}
profile_end() {
    [ -n "${profile_job:-}" ] || return 0
    wait "$profile_job" || true
    local data=$work/perf-$profile_name.data report=$build/bench-profile-$profile_name.txt
    {
        echo "# perf (cpu-clock) of one mythos-chatd during $profile_name; by thread, by library, by symbol"
        perf report -i "$data" --no-children --sort comm --stdio 2>/dev/null | grep '%' | head -12
        perf report -i "$data" --no-children --sort dso --stdio 2>/dev/null | grep '%' | head -15
        perf report -i "$data" --no-children --sort dso,symbol --percent-limit 0.4 --stdio 2>/dev/null | grep '%' | head -70
    } | sed 's/[[:space:]-]*$//' >"$report" || true
    echo "   profile: $build/bench-profile-$profile_name.txt" >&2
    profile_job=""
}

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(date +%s)

if has idle; then
    echo "== idle connections: $idle_n"
    start_nats; start_chatd bench-1
    run_loadgen idle_mythos --protocol mythos --url "ws://127.0.0.1:$chatd_port/ws" --connections "$idle_n" \
        --name-prefix i --settle 3 --hold 3 --watch "server=$chatd_pid" --watch "nats=$nats_pid"
    stop_all
    start_nats
    run_loadgen idle_nats --protocol nats --url "ws://127.0.0.1:$nats_ws/" --connections "$idle_n" \
        --settle 3 --hold 3 --watch "nats=$nats_pid"
    stop_all
fi

if has fanout; then
    total=$((fan_n + fan_senders))
    echo "== fan-out: $fan_n listeners + $fan_senders senders on global"
    start_nats; start_chatd bench-1
    common=(--connections "$total" --senders "$fan_senders" --payload 100 --duration "$duration" --watch "server=$chatd_pid" --watch "nats=$nats_pid")
    run_loadgen fanout_rate_mythos --protocol mythos --url "ws://127.0.0.1:$chatd_port/ws" --name-prefix f "${common[@]}" --rate "$fan_rate"
    profile_start fanout "$chatd_pid" fanout_max_mythos
    run_loadgen fanout_max_mythos --protocol mythos --url "ws://127.0.0.1:$chatd_port/ws" --name-prefix g "${common[@]}" --window "$fan_window"
    profile_end
    # The same two runs with every receiver on permessage-deflate (what browsers negotiate):
    # bytes per delivery on the wire and the server's CPU with compression.
    run_loadgen fanout_rate_deflate --protocol mythos --url "ws://127.0.0.1:$chatd_port/ws" --name-prefix h "${common[@]}" --rate "$fan_rate" --deflate
    run_loadgen fanout_max_deflate --protocol mythos --url "ws://127.0.0.1:$chatd_port/ws" --name-prefix k "${common[@]}" --window "$fan_window" --deflate
    stop_all
    # The baseline carries the same 100 characters our senders send, nothing more: what a game
    # gets by putting players on nats-server's WebSocket directly (our envelope is our cost).
    # A second window-limited run pads the payload to the chat_message frame our receivers got.
    frame=$(val fanout_rate_mythos delivery_bytes); frame=${frame:-400}
    start_nats
    common=(--connections "$total" --senders "$fan_senders" --duration "$duration" --watch "nats=$nats_pid")
    run_loadgen fanout_rate_nats --protocol nats --url "ws://127.0.0.1:$nats_ws/" "${common[@]}" --payload 100 --rate "$fan_rate"
    run_loadgen fanout_max_nats --protocol nats --url "ws://127.0.0.1:$nats_ws/" "${common[@]}" --payload 100 --window "$fan_window"
    run_loadgen fanout_frame_nats --protocol nats --url "ws://127.0.0.1:$nats_ws/" "${common[@]}" --payload "$frame" --window "$fan_window"
    stop_all
fi

if has rooms; then
    echo "== room traffic: $room_p players in $room_r rooms on two instances, $room_rate msgs/s"
    start_nats
    start_chatd bench-1; a_pid=$chatd_pid; a_port=$chatd_port
    start_chatd bench-2; b_pid=$chatd_pid; b_port=$chatd_port
    profile_start rooms "$a_pid" rooms_mythos
    run_loadgen rooms_mythos --protocol mythos --url "ws://127.0.0.1:$a_port/ws,ws://127.0.0.1:$b_port/ws" \
        --connections "$room_p" --rooms "$room_r" --senders "$room_p" --rate "$room_rate" --payload 60 \
        --duration "$duration" --name-prefix r --watch "server=$a_pid" --watch "server2=$b_pid" --watch "nats=$nats_pid"
    profile_end
    stop_all
    # Same content as our players say (60 characters), as in fan-out.
    start_nats
    run_loadgen rooms_nats --protocol nats --url "ws://127.0.0.1:$nats_ws/" --connections "$room_p" --rooms "$room_r" \
        --senders "$room_p" --rate "$room_rate" --payload 60 --duration "$duration" --watch "nats=$nats_pid"
    stop_all
fi

if has store; then
    echo "== store: $store_senders senders, each alone in a room, $store_window sends in flight each"
    start_nats; start_chatd bench-1
    profile_start store "$chatd_pid" store_mythos
    run_loadgen store_mythos --protocol mythos --url "ws://127.0.0.1:$chatd_port/ws" --connections "$store_senders" \
        --rooms "$store_senders" --senders "$store_senders" --ack-window "$store_window" --payload 100 \
        --duration "$duration" --name-prefix s --watch "server=$chatd_pid" --watch "nats=$nats_pid"
    profile_end
    stop_all
    # Ack latency at a fixed offered rate below the peak (open loop, same senders).
    start_nats; start_chatd bench-1
    run_loadgen store_rate_mythos --protocol mythos --url "ws://127.0.0.1:$chatd_port/ws" --connections "$store_senders" \
        --rooms "$store_senders" --senders "$store_senders" --rate "$store_rate" --payload 100 \
        --duration "$duration" --name-prefix t --watch "server=$chatd_pid" --watch "nats=$nats_pid"
    stop_all
    if [ -x "$bench_filter" ]; then
        echo "-- bench_filter" >&2
        timeout 60 "$bench_filter" "$root/resources/filters" "$root/tests/data/filter_corpus.tsv" 2 2>/dev/null \
            | tee "$work/bench_filter.txt" | sed 's/^/   /' >&2 || true
    fi
    if [ -x "$bench_store" ]; then
        echo "-- bench_store $store_rows" >&2
        timeout 120 "$bench_store" "$store_rows" 2>&1 | tee "$work/bench_store.txt" | sed 's/^/   /' >&2 || true
    fi
fi

load_end=$(cut -d' ' -f1-3 /proc/loadavg)
elapsed=$(( $(date +%s) - started ))

# ---------------------------------------------------------------- report
table=$work/tables.md
{
    echo "Run $(date -u '+%Y-%m-%d %H:%M UTC')$([ "$quick" = 1 ] && echo ' (quick sizes)'), ${elapsed} s:"
    echo "$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), Linux $(uname -r)," \
         "$(nats-server --version 2>/dev/null), mythos-chatd $("$chatd" --version 2>/dev/null | awk '{print $NF}')."
    echo "Load average (1/5/15 min) at start $load_start, at the end $load_end: other work on the machine competes for the same cores."
    echo
    # met A B: "met" when A <= B (3rd argument "ge": A >= B).
    met() { [ -n "$1" ] && [ -n "$2" ] && awk "BEGIN { exit !(\"${3:-le}\" == \"ge\" ? $1 >= $2 : $1 <= $2) }" 2>/dev/null && echo "met" || echo "**not met**"; }
    echo "| target | measured | nats-server | |"
    echo "|---|---|---|---|"
    if has idle; then
        per=$(calc "($(val idle_mythos rss_server_kib) - $(val idle_mythos rss_server_before_kib)) / $idle_n" 1)
        n_per=$(calc "($(val idle_nats rss_nats_kib) - $(val idle_nats rss_nats_before_kib)) / $idle_n" 1)
        ok=$([ "$(val idle_mythos ready)" = "$idle_n" ] && met "$per" 8 || echo "**not met**")
        echo "| idle: $idle_n players on one instance, ≤ 8 KiB RSS each | $(val idle_mythos ready) connected, $per KiB each | $n_per KiB | $ok |"
    fi
    if has fanout; then
        r=$(ratio "$(val fanout_max_mythos deliveries_per_s)" "$(val fanout_max_nats deliveries_per_s)")
        rf=$(ratio "$(val fanout_max_mythos deliveries_per_s)" "$(val fanout_frame_nats deliveries_per_s)")
        echo "| fan-out ≥ 100 % of nats-server WS deliveries/s (same receivers, $fan_window in flight, same 100-character content) | $(val fanout_max_mythos deliveries_per_s)/s = $r % | $(val fanout_max_nats deliveries_per_s)/s | $(met "$r" 100 ge) |"
        echo "| fan-out, nats payload padded to our frame ($(val fanout_frame_nats payload) bytes; for reference) | $rf % | $(val fanout_frame_nats deliveries_per_s)/s | |"
        rd=$(ratio "$(val fanout_max_deflate deliveries_per_s)" "$(val fanout_max_nats deliveries_per_s)")
        echo "| fan-out, every receiver on permessage-deflate (for reference) | $(val fanout_max_deflate deliveries_per_s)/s = $rd %, $(val fanout_max_deflate delivery_bytes) B per delivery (plain $(val fanout_max_mythos delivery_bytes)) | $(val fanout_max_nats deliveries_per_s)/s | |"
    fi
    if has rooms; then
        p99=$(calc "$(val rooms_mythos p99_us)/1000" 2)
        m_cpu=$(calc "$(val rooms_mythos cpu_server_pct) + $(val rooms_mythos cpu_server2_pct) + $(val rooms_mythos cpu_nats_pct)" 1)
        m_per=$(calc "$m_cpu * 1000 / $(val rooms_mythos acks_per_s)" 1)
        n_per=$(calc "$(val rooms_nats cpu_nats_pct) * 1000 / $(val rooms_nats msgs_per_s)" 1)
        cpu_x=$(calc "$m_per / $n_per" 2)
        ok=$(awk "BEGIN { exit !($(val rooms_mythos acks_per_s) >= 0.99 * $room_rate) }" && met "$p99" 3 || echo "**not met**")
        echo "| rooms: $room_rate msgs/s over two instances, p99 < 3 ms | $(val rooms_mythos acks_per_s) accepted/s, p99 $p99 ms | p99 $(calc "$(val rooms_nats p99_us)/1000" 2) ms | $ok |"
        echo "| rooms: CPU per 1,000 msgs/s ≤ 1.5 × nats-server's | $m_per % of a core = $cpu_x × | $n_per % | $(met "$cpu_x" 1.5) |"
    fi
    if has store; then
        echo "| store ≥ 25,000 msgs/s, stored before ack (SQLite) | $(val store_mythos acks_per_s) msgs/s | — | $(met "$(val store_mythos acks_per_s)" 25000 ge) |"
        sp99=$(calc "$(val store_rate_mythos ack_p99_us)/1000" 2)
        ok=$(awk "BEGIN { exit !($(val store_rate_mythos acks_per_s) >= 0.99 * $store_rate) }" && met "$sp99" 50 || echo "**not met**")
        echo "| store: ack p99 < 50 ms at $store_rate msgs/s offered | $(val store_rate_mythos acks_per_s) acked/s, p99 $sp99 ms | — | $ok |"
    fi
    echo
    if has idle; then
        m_rss=$(calc "($(val idle_mythos rss_server_kib) - $(val idle_mythos rss_server_before_kib)) / $idle_n" 1)
        n_rss=$(calc "($(val idle_nats rss_nats_kib) - $(val idle_nats rss_nats_before_kib)) / $idle_n" 1)
        echo "**Idle connections** — $idle_n authenticated WebSocket clients held open (nats-server: $idle_n WebSocket clients, one SUB each)."
        echo
        echo "| | Mythos Chat | nats-server WS | ours / nats |"
        echo "|---|---|---|---|"
        echo "| connected | $(val idle_mythos ready) of $idle_n | $(val idle_nats ready) of $idle_n | |"
        echo "| server RSS per connection (KiB) | $m_rss | $n_rss | $(ratio "$m_rss" "$n_rss") % |"
        echo "| server RSS before → after (MiB) | $(calc "$(val idle_mythos rss_server_before_kib)/1024") → $(calc "$(val idle_mythos rss_server_kib)/1024") | $(calc "$(val idle_nats rss_nats_before_kib)/1024") → $(calc "$(val idle_nats rss_nats_kib)/1024") | |"
        echo "| connect + log in, connections/s | $(val idle_mythos connects_per_s) | $(val idle_nats connects_per_s) | $(ratio "$(val idle_mythos connects_per_s)" "$(val idle_nats connects_per_s)") % |"
        echo "| server CPU while connecting (% of a core) | $(val idle_mythos cpu_server_connect_pct) | $(val idle_nats cpu_nats_connect_pct) | |"
        echo "| load generator CPU while connecting | $(val idle_mythos cpu_loadgen_connect_pct) % | $(val idle_nats cpu_loadgen_connect_pct) % | |"
        echo "| server CPU while idle (% of a core) | $(val idle_mythos cpu_server_pct) | $(val idle_nats cpu_nats_pct) | |"
        echo
    fi
    if has fanout; then
        echo "**Fan-out** — $fan_n listeners and $fan_senders senders, all on \`global\` (nats-server: all subscribed to one subject, echo off); every message reaches $((fan_n + fan_senders - 1)) clients. Content 100 characters, and the nats payload is the same 100 characters; our receivers get a \`chat_message\` frame of $(val fanout_rate_mythos delivery_bytes) bytes. The last rows pad the nats payload to that size."
        echo
        echo "| | Mythos Chat | nats-server WS | ours / nats |"
        echo "|---|---|---|---|"
        for kind in rate max; do
            if [ $kind = rate ]; then label="fixed rate $fan_rate msgs/s"; else label="at most $fan_window messages in flight"; fi
            m=fanout_${kind}_mythos n=fanout_${kind}_nats
            echo "| **$label**: deliveries/s | $(val $m deliveries_per_s) | $(val $n deliveries_per_s) | **$(ratio "$(val $m deliveries_per_s)" "$(val $n deliveries_per_s)") %** |"
            echo "| messages sent/s | $(val $m msgs_per_s) | $(val $n msgs_per_s) | |"
            echo "| latency p50 / p99 / max (ms) | $(calc "$(val $m p50_us)/1000" 2) / $(calc "$(val $m p99_us)/1000" 2) / $(calc "$(val $m max_us)/1000" 2) | $(calc "$(val $n p50_us)/1000" 2) / $(calc "$(val $n p99_us)/1000" 2) / $(calc "$(val $n max_us)/1000" 2) | |"
            echo "| server CPU (% of a core) | $(val $m cpu_server_pct) (+ nats $(val $m cpu_nats_pct)) | $(val $n cpu_nats_pct) | |"
            echo "| load generator CPU | $(val $m cpu_loadgen_pct) % | $(val $n cpu_loadgen_pct) % | |"
            echo "| not delivered by the end (closed connections) | $(val $m missing) ($(val $m closed)) | $(val $n missing) ($(val $n closed)) | |"
        done
        m=fanout_max_mythos n=fanout_frame_nats
        echo "| **$fan_window in flight, nats payload $(val $n payload) bytes**: deliveries/s | $(val $m deliveries_per_s) | $(val $n deliveries_per_s) | **$(ratio "$(val $m deliveries_per_s)" "$(val $n deliveries_per_s)") %** |"
        echo "| latency p50 / p99 (ms), nats CPU | | $(calc "$(val $n p50_us)/1000" 2) / $(calc "$(val $n p99_us)/1000" 2), $(val $n cpu_nats_pct) % | |"
        echo
        echo "**Fan-out with permessage-deflate** — the same two runs with every receiver offering the extension (no context takeover either way, as the server answers): each message is compressed once and the same bytes go to every receiver. Bytes are the WebSocket payload of one \`chat_message\` delivery as it crossed the wire."
        echo
        echo "| | plain | permessage-deflate | deflate / plain |"
        echo "|---|---|---|---|"
        echo "| bytes per delivery | $(val fanout_rate_mythos delivery_bytes) | $(val fanout_rate_deflate delivery_bytes) | $(ratio "$(val fanout_rate_deflate delivery_bytes)" "$(val fanout_rate_mythos delivery_bytes)") % |"
        for kind in rate max; do
            if [ $kind = rate ]; then label="fixed rate $fan_rate msgs/s"; else label="at most $fan_window in flight"; fi
            m=fanout_${kind}_mythos d=fanout_${kind}_deflate
            echo "| **$label**: deliveries/s | $(val $m deliveries_per_s) | $(val $d deliveries_per_s) | $(ratio "$(val $d deliveries_per_s)" "$(val $m deliveries_per_s)") % |"
            echo "| server CPU (% of a core) | $(val $m cpu_server_pct) | $(val $d cpu_server_pct) | $(ratio "$(val $d cpu_server_pct)" "$(val $m cpu_server_pct)") % |"
            echo "| latency p50 / p99 (ms) | $(calc "$(val $m p50_us)/1000" 2) / $(calc "$(val $m p99_us)/1000" 2) | $(calc "$(val $d p50_us)/1000" 2) / $(calc "$(val $d p99_us)/1000" 2) | |"
            echo "| load generator CPU (inflating) | $(val $m cpu_loadgen_pct) % | $(val $d cpu_loadgen_pct) % | |"
        done
        echo
    fi
    if has rooms; then
        m_cpu=$(calc "$(val rooms_mythos cpu_server_pct) + $(val rooms_mythos cpu_server2_pct) + $(val rooms_mythos cpu_nats_pct)" 1)
        echo "**Room traffic** — $room_p players in $room_r rooms ($((room_p / room_r)) each), alternating between two instances sharing one nats-server; everyone says something, $room_rate messages/s in all (nats-server: one subject per room, same clients and rate, the same $(val rooms_nats payload) characters as payload)."
        echo
        echo "| | Mythos Chat (2 instances + NATS) | nats-server WS | ours / nats |"
        echo "|---|---|---|---|"
        echo "| messages/s sent / accepted (acks) / deliveries/s | $(val rooms_mythos msgs_per_s) / $(val rooms_mythos acks_per_s) / $(val rooms_mythos deliveries_per_s) | $(val rooms_nats msgs_per_s) / — / $(val rooms_nats deliveries_per_s) | |"
        echo "| latency p50 / p99 / max (ms) | $(calc "$(val rooms_mythos p50_us)/1000" 2) / **$(calc "$(val rooms_mythos p99_us)/1000" 2)** / $(calc "$(val rooms_mythos max_us)/1000" 2) | $(calc "$(val rooms_nats p50_us)/1000" 2) / $(calc "$(val rooms_nats p99_us)/1000" 2) / $(calc "$(val rooms_nats max_us)/1000" 2) | |"
        echo "| server CPU (% of a core) | $(val rooms_mythos cpu_server_pct) + $(val rooms_mythos cpu_server2_pct) + nats $(val rooms_mythos cpu_nats_pct) = $m_cpu | $(val rooms_nats cpu_nats_pct) | $(ratio "$m_cpu" "$(val rooms_nats cpu_nats_pct)") % |"
        echo "| CPU per 1k accepted msgs/s (% of a core) | $(calc "$m_cpu * 1000 / $(val rooms_mythos acks_per_s)" 1) | $(calc "$(val rooms_nats cpu_nats_pct) * 1000 / $(val rooms_nats msgs_per_s)" 1) | |"
        echo "| load generator CPU | $(val rooms_mythos cpu_loadgen_pct) % | $(val rooms_nats cpu_loadgen_pct) % | |"
        echo "| ack latency p50 / p99 (ms) | $(calc "$(val rooms_mythos ack_p50_us)/1000" 2) / $(calc "$(val rooms_mythos ack_p99_us)/1000" 2) | — | |"
        echo "| not delivered by the end (closed connections) | $(val rooms_mythos missing) ($(val rooms_mythos closed)) | $(val rooms_nats missing) ($(val rooms_nats closed)) | |"
        echo
    fi
    if has store; then
        echo "**Store** — $store_senders senders, each alone in its room, each keeping $store_window sends unacknowledged; an \`ack\` comes only after the message's batch is committed to SQLite. nats-server stores nothing, so there is no baseline."
        echo
        echo "| | Mythos Chat |"
        echo "|---|---|"
        echo "| stored and acknowledged messages/s | **$(val store_mythos acks_per_s)** |"
        echo "| ack latency p50 / p99 / max (ms) | $(calc "$(val store_mythos ack_p50_us)/1000" 2) / $(calc "$(val store_mythos ack_p99_us)/1000" 2) / $(calc "$(val store_mythos ack_max_us)/1000" 2) |"
        echo "| server CPU (% of a core) | $(val store_mythos cpu_server_pct) (+ nats $(val store_mythos cpu_nats_pct)) |"
        echo "| load generator CPU | $(val store_mythos cpu_loadgen_pct) % |"
        echo "| **at $store_rate msgs/s offered**: acknowledged/s | $(val store_rate_mythos acks_per_s) |"
        echo "| ack latency p50 / p99 / max (ms) | $(calc "$(val store_rate_mythos ack_p50_us)/1000" 2) / **$(calc "$(val store_rate_mythos ack_p99_us)/1000" 2)** / $(calc "$(val store_rate_mythos ack_max_us)/1000" 2) |"
        echo "| server CPU (% of a core) | $(val store_rate_mythos cpu_server_pct) |"
        if [ -f "$work/bench_filter.txt" ]; then
            echo "| content filter alone (\`bench_filter\`, CPU per check): 100-character bench line / corpus line | $(awk '/^filler/ {print $4}' "$work/bench_filter.txt") / $(awk '/^corpus/ {print $4}' "$work/bench_filter.txt") µs |"
        fi
        if [ -f "$work/bench_store.txt" ]; then
            echo "| MessageStore alone (\`bench_store\`, no network, $store_rows messages) | $(awk '/^sqlite/ {print $6}' "$work/bench_store.txt") msgs/s |"
        fi
        echo
    fi
    echo "<details><summary>Raw load generator results</summary>"
    echo
    echo '```'
    for f in "$results"/*; do case "$f" in *.err) ;; *) cat "$f" ;; esac; done
    [ -f "$work/bench_store.txt" ] && grep -E '^(sqlite|postgresql)' "$work/bench_store.txt" || true
    [ -f "$work/bench_filter.txt" ] && cat "$work/bench_filter.txt" || true
    echo '```'
    echo
    echo "</details>"
} >"$table"

echo
cat "$table"
begin='<!-- bench:begin -->'
end='<!-- bench:end -->'
if [ -f "$out" ] && grep -q "$begin" "$out"; then
    awk -v b="$begin" -v e="$end" -v t="$table" '
        $0 == b { print; while ((getline line < t) > 0) print line; skip = 1; next }
        $0 == e { skip = 0 }
        !skip { print }' "$out" >"$out.new" && mv "$out.new" "$out"
else
    { echo "$begin"; cat "$table"; echo "$end"; } >>"$out"
fi
echo "== written to $out"
