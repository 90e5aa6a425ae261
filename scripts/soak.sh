#!/usr/bin/env bash
# Soak: two mythos-chatd instances on one nats-server, on loopback, for a bounded time. Players
# (guests) sit in rooms, half on each instance, and talk at a fixed rate; a pool of them keeps
# leaving and joining; nats-server is restarted at 1/3 of the run and instance B at 2/3. Reports
# RSS over time (least-squares slope), acknowledged messages missing from history, deliveries
# lost while nothing failed, and p99 delivery latency per interval (see docs/reliability.md, Soak).
#   scripts/soak.sh [--minutes N] [--players P] [--rooms R] [--rate MSGS_PER_S]
#                   [--churn-per-s C] [--interval S] [--write-docs] [--out FILE]
#                   [--build-dir DIR] [--no-build] [--keep]
# Defaults: 10 minutes, 3,000 players in 300 rooms, 2,000 msgs/s, 10 leave-and-join a second,
# one table row a minute. The table is printed and kept in <build>/soak-last.md; --write-docs
# also puts it into docs/reliability.md (or --out FILE). Exits 1 when a must-be-zero figure
# (acked but missing from history, lost while healthy) is not zero, 2 on a setup failure.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build-bench # the same Release build with the test tree as scripts/bench.sh
minutes=10
players=3000
rooms=300
rate=2000
churn=10
interval=60
write_docs=0
out=$root/docs/reliability.md
do_build=1
keep=0
nats_down=2 # seconds nats-server stays away: long enough that the instances notice
while [ $# -gt 0 ]; do
    case "$1" in
        --minutes) minutes=$2; shift ;;
        --players) players=$2; shift ;;
        --rooms) rooms=$2; shift ;;
        --rate) rate=$2; shift ;;
        --churn-per-s) churn=$2; shift ;;
        --interval) interval=$2; shift ;;
        --write-docs) write_docs=1 ;;
        --out) out=$2; write_docs=1; shift ;;
        --build-dir) build=$2; shift ;;
        --no-build) do_build=0 ;;
        --keep) keep=1 ;;
        -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
    shift
done
duration=$(awk "BEGIN { printf \"%d\", $minutes * 60 }")
[ "$duration" -ge 30 ] || { echo "--minutes must give at least 30 s" >&2; exit 2; }
# A tenth of the players churn; they neither send nor count as receivers (see the loadgen's
# --churn-pool), so what they miss while away is not counted as lost.
pool=$((players / 10))

if [ "$do_build" = 1 ]; then
    echo "== building Release in $build"
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=ON >/dev/null
    cmake --build "$build" --target mythos-chatd loadgen
fi
chatd=$build/server/mythos-chatd
loadgen=$build/tests/bench/loadgen
for f in "$chatd" "$loadgen"; do [ -x "$f" ] || { echo "missing $f (build it or drop --no-build)" >&2; exit 2; }; done
for tool in nats-server sqlite3 curl; do
    command -v "$tool" >/dev/null || { echo "$tool is not installed" >&2; exit 2; }
done

# Enough descriptors for every connection on both sides, but no more than 20,000 a process.
hard=$(ulimit -Hn)
if [ "$hard" = unlimited ] || [ "$hard" -gt 20000 ]; then ulimit -n 20000; else ulimit -n "$hard"; fi

work=$(mktemp -d /tmp/mythos-soak.XXXXXX)
pids=()
sampler=""
progress=""
cleanup() {
    [ -n "$sampler" ] && kill -TERM "$sampler" 2>/dev/null || true
    [ -n "$progress" ] && kill -TERM "$progress" 2>/dev/null || true
    for pid in "${pids[@]+"${pids[@]}"}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]+"${pids[@]}"}"; do wait "$pid" 2>/dev/null || true; done
    if [ "$keep" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# shellcheck source=lib/processes.sh
source "$root/scripts/lib/processes.sh"
now_ms() { date +%s%3N; }

# nats-server on a port kept for the whole run, so a restart comes back where the instances
# look for it. Sets nats_pid; the sampler reads the pid from $work/pid.nats.
nats_port=$(free_port)
mkdir -p "$work/nats"
cat >"$work/nats/nats.conf" <<EOF
host: 127.0.0.1
port: $nats_port
max_payload: 1048576
EOF
start_nats() {
    nats-server -c "$work/nats/nats.conf" >>"$work/nats/nats.log" 2>&1 &
    nats_pid=$!
    pids+=("$nats_pid")
    echo "$nats_pid" >"$work/pid.nats"
    wait_port "$nats_port"
}

# mythos-chatd ID: its configuration (port, data dir) is written once, so a restart is the
# same instance: same port, same server_id, same SQLite history. Guests, client moves, no rate
# limits as in bench.sh; history keeps every message (the default keeps 1,000 per room, and
# pruning would make "acked but not in history" unmeasurable).
declare -A chatd_port chatd_pid
config_chatd() {
    local id=$1 dir=$work/$1
    # Nothing listens on the other instance's port before it starts: do not pick it twice.
    local p
    while :; do
        p=$(free_port)
        [ "$p" != "$nats_port" ] && [ "$p" != "${chatd_port[A]:-}" ] && break
    done
    chatd_port[$id]=$p
    mkdir -p "$dir/data"
    cat >"$dir/config.yaml" <<EOF
server:
  host: 127.0.0.1
  port: ${chatd_port[$id]}
  server_id: soak-$id
  data_dir: $dir/data
  max_connections: 19000
auth:
  allow_guests: true
  jwt_secret: soak-secret-not-for-production
presence:
  client_moves: true
nats:
  url: nats://127.0.0.1:$nats_port
chat:
  rate_limiting:
    enabled: false
  message_history:
    max_messages_per_channel: 100000000
EOF
}
start_chatd() {
    local id=$1 dir=$work/$1
    "$chatd" --config "$dir/config.yaml" >>"$dir/chatd.log" 2>&1 &
    chatd_pid[$id]=$!
    pids+=("${chatd_pid[$id]}")
    echo "${chatd_pid[$id]}" >"$work/pid.$id"
    wait_healthy "$id" || { echo "mythos-chatd ($id) did not start:" >&2; tail -20 "$dir/chatd.log" >&2; return 1; }
}
# Until /health says ok (NATS connected, database fine), at most 30 s.
wait_healthy() {
    for _ in $(seq 1 300); do
        curl -sf "http://127.0.0.1:${chatd_port[$1]}/health" 2>/dev/null | grep -Eq '"status": *"ok"' && return 0
        kill -0 "${chatd_pid[$1]}" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}

# RSS of the three servers every 5 s: "epoch_ms label pid rss_kib". Pids come from files, so
# the restarted processes are followed.
sample_rss() {
    while :; do
        local t; t=$(now_ms)
        for label in A B nats; do
            local pid; pid=$(cat "$work/pid.$label" 2>/dev/null || true)
            [ -n "$pid" ] || continue
            local rss; rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
            [ -n "$rss" ] && echo "$t $label $pid $rss"
        done
        sleep 5
    done >>"$work/rss.txt"
}

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(date +%s)
echo "== soak: $players players in $rooms rooms on two instances, $rate msgs/s, $churn leave and join a second, ${minutes} min"
start_nats
config_chatd A; config_chatd B
start_chatd A; start_chatd B
sample_rss &
sampler=$!

# The load generator runs in the background; the faults are placed on its sending clock.
drain=5
"$loadgen" --threads 2 --protocol mythos --scenario soak \
    --url "ws://127.0.0.1:${chatd_port[A]}/ws,ws://127.0.0.1:${chatd_port[B]}/ws" \
    --connections "$players" --rooms "$rooms" --senders $((players - pool)) --churn-pool "$pool" \
    --churn-per-s "$churn" --reconnect --rate "$rate" --payload 60 --name-prefix s \
    --warmup 0 --duration "$duration" --drain "$drain" --report-every "$interval" \
    --acked-file "$work/acked.txt" >"$work/loadgen.out" 2>"$work/loadgen.err" &
loadgen_pid=$!
pids+=("$loadgen_pid")
t0=""
for _ in $(seq 1 3600); do
    t0=$(sed -n 's/^loadgen: sending since epoch_ms=//p' "$work/loadgen.err" | head -1)
    [ -n "$t0" ] && break
    kill -0 "$loadgen_pid" 2>/dev/null || break
    sleep 0.1
done
if [ -z "$t0" ]; then echo "the load generator did not start sending:" >&2; tail -20 "$work/loadgen.err" >&2; exit 2; fi
echo "   all $players connected; sending"
# The load generator's progress line (one an interval), so a long run shows how it goes.
(seen=0
 while kill -0 "$loadgen_pid" 2>/dev/null; do
     sleep 2
     n=$(grep -c '^loadgen: sent' "$work/loadgen.err" || true)
     [ "$n" -gt "$seen" ] && { seen=$n; grep '^loadgen: sent' "$work/loadgen.err" | tail -1 | sed 's/^/   /'; }
 done) &
progress=$!

sleep_until() { local wait_ms=$(( $1 - $(now_ms) )); [ "$wait_ms" -gt 0 ] && sleep "$(awk "BEGIN { print $wait_ms / 1000 }")" || true; }
faults=$work/faults.txt # "label from_ms to_ms": from the first action to healthy again

sleep_until $((t0 + duration * 1000 / 3))
echo "   restarting nats-server"
f=$(now_ms)
stop_pid "$nats_pid"
sleep "$nats_down"
start_nats
wait_healthy A || echo "   instance A not healthy 30 s after the NATS restart" >&2
wait_healthy B || echo "   instance B not healthy 30 s after the NATS restart" >&2
echo "nats $f $(now_ms)" >>"$faults"

sleep_until $((t0 + duration * 2000 / 3))
echo "   restarting instance B"
f=$(now_ms)
stop_pid "${chatd_pid[B]}"
start_chatd B
echo "B $f $(now_ms)" >>"$faults"

wait "$loadgen_pid" && loadgen_rc=0 || loadgen_rc=$?
kill -TERM "$progress" 2>/dev/null || true
kill -TERM "$sampler" 2>/dev/null || true
wait "$sampler" 2>/dev/null || true
sampler=""
# Servers stop cleanly before their databases are read.
stop_pid "${chatd_pid[A]}"; stop_pid "${chatd_pid[B]}"; stop_pid "$nats_pid"
load_end=$(cut -d' ' -f1-3 /proc/loadavg)
elapsed=$(( $(date +%s) - started ))
result=$(grep '^RESULT' "$work/loadgen.out" || true)
[ -n "$result" ] || { echo "no result from the load generator (exit $loadgen_rc):" >&2; tail -20 "$work/loadgen.err" >&2; exit 2; }
val() { tr ' ' '\n' <<<"$result" | sed -n "s/^$1=//p" | head -1; }

# ------------------------------------------------------------ acked messages against history
# Every ack promises the message is stored on the instance that accepted it (endpoint 0 is A,
# 1 is B). Relayed copies are stored by the other instance too, except what it missed while
# it was down itself (reported, not a must-be-zero figure: docs/protocol.md, catch-up limits).
missing_in() { # missing_in ENDPOINT DB: acked by that endpoint and not in DB
    awk -v e="$1" '$1 == e { print $2 }' "$work/acked.txt" >"$work/acked.$1"
    sqlite3 ":memory:" <<EOF
ATTACH '$2' AS h;
CREATE TABLE acked (id TEXT);
.import $work/acked.$1 acked
SELECT count(*) FROM acked a WHERE NOT EXISTS (SELECT 1 FROM h.chat_messages m WHERE m.id = a.id);
EOF
}
acked_a=$(awk '$1 == 0' "$work/acked.txt" | wc -l)
acked_b=$(awk '$1 == 1' "$work/acked.txt" | wc -l)
miss_a=$(missing_in 0 "$work/A/data/chat.db")
miss_b=$(missing_in 1 "$work/B/data/chat.db")
other_a=$(missing_in 0 "$work/B/data/chat.db") # A's messages B lacks
other_b=$(missing_in 1 "$work/A/data/chat.db")
missing=$((miss_a + miss_b))

# ------------------------------------------------------------ deliveries, by send second
# A second is healthy when no fault touches it: from 1 s before a restart began to 5 s after
# the instances were healthy again (reconnects, catch-up gathering), and 1 s before to 3 s
# after any second in which a stable player was not connected (the loadgen marks those).
awk -v t0="$t0" -v dur="$duration" -v iv="$interval" -v faults="$faults" '
    BEGIN {
        while ((getline line < faults) > 0) {
            split(line, f, " ")
            a = int((f[2] - t0) / 1000) - 1; b = int((f[3] - t0) / 1000) + 5
            for (s = a; s <= b; s++) fault[s] = 1
            ev[int((f[2] - t0) / 1000 / iv)] = ev[int((f[2] - t0) / 1000 / iv)] (f[1] == "nats" ? "NATS restart" : "instance B restart") " at " int((f[2] - t0) / 1000) " s; "
        }
    }
    $1 == "SECOND" { s = $2; sent[s] = $3; acked[s] = $4; refused[s] = $5; ex[s] = $6; del[s] = $7; if ($8 == 1) for (d = s - 1; d <= s + 3; d++) fault[d] = 1; if (s > last) last = s }
    $1 == "INTERVAL" { p99[$2] = $6; samples[$2] = $4 }
    END {
        rows = int((dur + iv - 1) / iv)
        for (s = 0; s <= last; s++) {
            i = int(s / iv); if (i >= rows) i = rows - 1
            lost = ex[s] > del[s] ? ex[s] - del[s] : 0
            extra = del[s] > ex[s] ? del[s] - ex[s] : 0
            rs[i] += sent[s]; ra[i] += acked[s]; rl[i] += lost; rf[i] += refused[s]
            if (s < dur && !(s in fault)) { rh[i] += lost; hl += lost; hx += extra; hs++; he += ex[s] } else fs++
            tl += lost; tx += extra; te += ex[s]; tu += sent[s] - acked[s] - refused[s]
            if (s < dur && !(s in fault)) hu += sent[s] - acked[s] - refused[s]
        }
        for (i = 0; i < rows; i++) {
            from = i * iv; to = (i + 1) * iv; if (to > dur) to = dur
            label = (iv % 60 == 0) ? sprintf("%d–%d min", from / 60, to / 60) : sprintf("%d–%d s", from, to)
            printf "ROW| %s | %d | %d | %.2f | %d | %d | %s |\n", label, rs[i], ra[i], p99[i] / 1000, rl[i], rh[i], ev[i] == "" ? "" : substr(ev[i], 1, length(ev[i]) - 2)
        }
        printf "SUM healthy_s=%d fault_s=%d lost_healthy=%d extra_healthy=%d expected_healthy=%d lost_all=%d extra_all=%d expected_all=%d unanswered_all=%d unanswered_healthy=%d\n", hs, fs, hl, hx, he, tl, tx, te, tu, hu
    }' "$work/loadgen.out" >"$work/analysis.txt"
sumv() { tr ' ' '\n' <"$work/analysis.txt" | sed -n "s/^$1=//p" | head -1; }
lost_healthy=$(sumv lost_healthy)

# ------------------------------------------------------------ RSS: least-squares slope
# Per process (a restart is a new one), over its samples after the first 30 s of sending (or
# after it started), in KiB per minute.
rss_lines=$(awk -v t0="$t0" -v dur="$duration" '
    {
        t = ($1 - t0) / 60000; key = $2 " " $3
        if (!(key in first)) { first[key] = t; order[++n] = key }
        if (t < 0.5 || t < first[key] + 0.5 || t > dur / 60) next
        c[key]++; sx[key] += t; sy[key] += $4; sxx[key] += t * t; sxy[key] += t * $4
        if (!(key in start)) start[key] = $4
        end[key] = $4; if (!(key in tmin)) tmin[key] = t; tmax[key] = t
    }
    END {
        for (k = 1; k <= n; k++) {
            key = order[k]; split(key, p, " ")
            if (c[key] < 3) { printf "| %s (pid %s) | — | — | — | %d samples |\n", p[1], p[2], c[key]; continue }
            d = c[key] * sxx[key] - sx[key] * sx[key]
            slope = d > 0 ? (c[key] * sxy[key] - sx[key] * sy[key]) / d : 0
            printf "| %s (pid %s) | %.1f | %.1f | %+.0f | %.1f–%.1f min, %d samples |\n", p[1], p[2], start[key] / 1024, end[key] / 1024, slope, tmin[key], tmax[key], c[key]
        }
    }' "$work/rss.txt")

# ------------------------------------------------------------ report
table=$work/soak.md
{
    echo "Run $(date -u '+%Y-%m-%d %H:%M UTC'), ${minutes} min of sending (${elapsed} s in all), Debian 12, 2 shared cores" \
         "($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), Linux $(uname -r)), $(nats-server --version 2>/dev/null)," \
         "mythos-chatd $("$chatd" --version 2>/dev/null | awk '{print $NF}'). Load average at start $load_start, at the end $load_end."
    echo
    echo "$players players in $rooms rooms ($((players / rooms)) each), alternating between instances A and B on one nats-server;" \
         "$((players - pool)) stable players send $rate msgs/s in all; $pool more leave and come back as new guests, $churn a second" \
         "($(val churned) times). nats-server was down ${nats_down} s at 1/3 of the run, B restarted at 2/3."
    echo
    echo "| interval (by send time) | sent | acked | p99 ms | lost deliveries | lost while healthy | events |"
    echo "|---|---|---|---|---|---|---|"
    sed -n 's/^ROW//p' "$work/analysis.txt"
    echo
    echo "| server | RSS first (MiB) | RSS last (MiB) | slope (KiB/min) | window |"
    echo "|---|---|---|---|---|"
    echo "$rss_lines"
    echo
    echo "- **Acked messages missing from history: $missing** (A acked $acked_a, missing $miss_a; B acked $acked_b, missing $miss_b)."
    echo "  Missing from the *other* instance's history (relayed copies): A's on B $other_a, B's on A $other_b."
    echo "- **Deliveries lost while nothing failed: $lost_healthy** of $(sumv expected_healthy) expected over $(sumv healthy_s) healthy seconds" \
         "(extra deliveries there: $(sumv extra_healthy); sends never answered there: $(sumv unanswered_healthy))."
    echo "- Over the whole run, faults included: $(sumv lost_all) of $(sumv expected_all) deliveries lost, $(sumv extra_all) extra," \
         "$(sumv unanswered_all) sends never answered, $(sumv fault_s) seconds counted as faulty;" \
         "$(val reconnects) reconnects, $(val errors) error replies, $(val held) held."
    echo "- Delivery latency over the run: p50 $(awk "BEGIN { printf \"%.2f\", $(val p50_us) / 1000 }") ms, p99 $(awk "BEGIN { printf \"%.2f\", $(val p99_us) / 1000 }") ms," \
         "max $(awk "BEGIN { printf \"%.0f\", $(val max_us) / 1000 }") ms; ack p99 $(awk "BEGIN { printf \"%.2f\", $(val ack_p99_us) / 1000 }") ms."
    echo
    echo "<details><summary>Load generator result</summary>"
    echo
    echo '```'
    echo "$result"
    echo '```'
    echo
    echo "</details>"
} >"$table"
echo
cat "$table"
cp "$table" "$build/soak-last.md"
if [ "$write_docs" = 1 ]; then
    begin='<!-- soak:begin -->'
    end='<!-- soak:end -->'
    [ -f "$out" ] || : >"$out" # --out may name a new file
    if ! grep -q "$begin" "$out"; then
        # A new section, before Fuzzing (or at the end).
        awk -v b="$begin" -v e="$end" '
            /^## Fuzzing/ && !done { print "## Soak"; print ""; print b; print e; print ""; done = 1 }
            { print }
            END { if (!done) { print ""; print "## Soak"; print ""; print b; print e } }' "$out" >"$out.new" && mv "$out.new" "$out"
    fi
    awk -v b="$begin" -v e="$end" -v t="$table" '
        $0 == b { print; while ((getline line < t) > 0) print line; skip = 1; next }
        $0 == e { skip = 0 }
        !skip { print }' "$out" >"$out.new" && mv "$out.new" "$out"
    echo "== written to $out"
fi
status=0
[ "$missing" = 0 ] || { echo "FAIL: $missing acknowledged messages are not in history" >&2; status=1; }
[ "$lost_healthy" = 0 ] || { echo "FAIL: $lost_healthy deliveries lost while nothing failed" >&2; status=1; }
[ "$loadgen_rc" = 0 ] || { echo "FAIL: the load generator exited with $loadgen_rc" >&2; status=1; }
exit "$status"
