#!/usr/bin/env bash
# Regenerates docs/performance.md and docs/performance-throughput.svg from one real run on this machine:
#   bench/run.sh
# It builds the load tool, the benchmarks, the local host and the Cloud Run host (normal and Native AOT), installs
# redis-server, redis-tools and wrk from Debian when they are missing, starts the store emulators (dynalite and
# Azurite from node_modules, the Firestore emulator when installed), runs every scenario for a few seconds each,
# and writes the page.
# Raw results land in artifacts/bench/. Takes about ten minutes on 2 cores.
# BENCH_DURATION and BENCH_WARMUP (seconds per scenario) shorten or lengthen the runs.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

duration=${BENCH_DURATION:-3}
warmup=${BENCH_WARMUP:-1}
concurrencies=(1 16 64)
out=$root/artifacts/bench
build=$out/build
results=$out/results
rm -rf "$results" && mkdir -p "$results" "$build"

say() { echo "==> $*" >&2; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

command -v dotnet >/dev/null || { echo "bench/run.sh: the .NET 10 SDK is needed." >&2; exit 1; }
command -v python3 >/dev/null || { echo "bench/run.sh: python3 is needed to write the page." >&2; exit 1; }
command -v curl >/dev/null || { echo "bench/run.sh: curl is needed to wait for the host." >&2; exit 1; }
if ! command -v redis-server >/dev/null || ! command -v redis-benchmark >/dev/null || ! command -v wrk >/dev/null; then
  say "installing redis-server, redis-tools and wrk (Debian packages) for the reference runs"
  apt-get update -qq && apt-get install -y -qq redis-server redis-tools wrk >/dev/null
fi

# The machine, and how busy it was: other work on the same cores lowers every figure of the run.
python3 - "$results/machine.json" <<'PY'
import json, os, platform, subprocess, sys
mem_kib = next(int(l.split()[1]) for l in open("/proc/meminfo") if l.startswith("MemTotal"))
model = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
run = lambda *a: subprocess.run(a, capture_output=True, text=True).stdout.strip()
json.dump({
    "cores": os.cpu_count(), "memoryGiB": round(mem_kib / 1048576, 1), "cpu": model, "kernel": platform.release(),
    "dotnet": run("dotnet", "--version"), "redis": run("redis-server", "--version"),
    "loadAverageAtStart": os.getloadavg()[0],
}, open(sys.argv[1], "w"), indent=2)
PY

say "building the load tool, the benchmarks and the local host"
dotnet build bench/Counter.Load -c Release -nologo -v:q -clp:NoSummary
dotnet build bench/Counter.Benchmarks -c Release -nologo -v:q -clp:NoSummary
dotnet publish src/Counter.Local -c Release -nologo -v:q -clp:NoSummary -o "$build/local"
load=$root/bench/Counter.Load/bin/Release/net10.0/counter-load

dotnet publish src/Counter.Gcp.CloudRun -c Release -nologo -v:q -clp:NoSummary -o "$build/cloudrun"

# Native AOT: warnings stay visible (not errors) so that a dependency that blocks AOT is named on the page.
publish_aot() {
  local name=$1 project=$2
  say "publishing $project with Native AOT"
  if dotnet publish "$project" -c Release -r linux-x64 -p:PublishAot=true -p:TreatWarningsAsErrors=false \
    -nologo -o "$build/$name-aot" >"$results/aot-$name.log" 2>&1; then
    echo ok >"$results/aot-$name.status"
  else
    echo failed >"$results/aot-$name.status"
  fi
}
publish_aot local src/Counter.Local
publish_aot cloudrun src/Counter.Gcp.CloudRun

host_pid=
# Starts the published local host on $2 with the database $3, from its own folder so its appsettings.json applies.
start_host() {
  local dir=$1 port=$2 db=$3
  (cd "$dir" && Counter__Sqlite__DatabasePath=$db exec ./Counter.Local --urls "http://127.0.0.1:$port" >>"$results/host.log" 2>&1) &
  host_pid=$!
  for _ in $(seq 1 300); do
    curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && return 0
    sleep 0.05
  done
  echo "bench/run.sh: the local host did not start; see $results/host.log" >&2
  exit 1
}
stop_host() { [ -n "$host_pid" ] && kill "$host_pid" 2>/dev/null && wait "$host_pid" 2>/dev/null || true; host_pid=; }
redis_pids=()
emulator_pids=()
cleanup() {
  stop_host
  [ ${#redis_pids[@]} -eq 0 ] || kill "${redis_pids[@]}" 2>/dev/null || true
  [ ${#emulator_pids[@]} -eq 0 ] || kill "${emulator_pids[@]}" 2>/dev/null || true
}
trap cleanup EXIT

# One load run; a naive run is expected to lose increments (exit 1), anything else must be exact.
load_run() {
  local name=$1; shift
  local status=0
  "$load" "$@" --duration "$duration" --warmup "$warmup" --quiet --json "$results/load-$name.json" >"$results/load-$name.txt" || status=$?
  if [ "$status" -gt 1 ] || { [ "$status" -eq 1 ] && [[ " $* " != *" --naive "* ]]; }; then
    echo "bench/run.sh: scenario $name failed (exit $status)" >&2
    exit 1
  fi
}

say "local host over HTTP (SQLite)"
port=$(free_port)
start_host "$build/local" "$port" "$out/host.db"
for c in "${concurrencies[@]}"; do
  load_run "http-sqlite-atomic-c$c" --url "http://127.0.0.1:$port" --concurrency "$c"
  load_run "http-sqlite-naive-c$c" --url "http://127.0.0.1:$port" --concurrency "$c" --naive
done

# References, interleaved so that each sees the same background load: the host driven by wrk (a small C client like
# redis-benchmark, so the client's cost is alike on both sides) and redis-benchmark INCR on three Redis servers, at
# each concurrency, in three rounds; the page shows medians. wrk checks nothing, so the script compares the
# counter's move with wrk's count. Redis variants: memory (no persistence, the plain reference); aof-everysec
# (each INCR written to the AOF before its reply: survives a crash of the process, like the local host's default);
# aof-always (fsync before the reply: survives a power loss).
say "references: wrk against the local host, redis-benchmark INCR against Redis (3 interleaved rounds)"
declare -A redis_port
for variant in memory aof-everysec aof-always; do
  redis_port[$variant]=$(free_port)
  rm -rf "$out/redis-$variant" && mkdir -p "$out/redis-$variant"
  args=(--port "${redis_port[$variant]}" --save "" --dir "$out/redis-$variant")
  case $variant in
    memory) args+=(--appendonly no) ;;
    aof-everysec) args+=(--appendonly yes --appendfsync everysec) ;;
    aof-always) args+=(--appendonly yes --appendfsync always) ;;
  esac
  redis-server "${args[@]}" >"$results/redis-$variant.log" 2>&1 &
  redis_pids+=($!)
  for _ in $(seq 1 100); do redis-cli -p "${redis_port[$variant]}" ping >/dev/null 2>&1 && break; sleep 0.05; done
done
printf 'wrk.method = "POST"\nwrk.path = "/counters/wrk-%s"\n' "$RANDOM$RANDOM" >"$out/wrk-post.lua"
counter_path=$(sed -n 's/^wrk.path = "\(.*\)"$/\1/p' "$out/wrk-post.lua")
for round in 1 2 3; do
  for c in "${concurrencies[@]}"; do
    before=$(curl -sf "http://127.0.0.1:$port$counter_path")
    wrk -t1 -c"$c" -d"${duration}s" -s "$out/wrk-post.lua" "http://127.0.0.1:$port" >"$results/wrk-c$c-r$round.txt"
    sleep 0.2
    after=$(curl -sf "http://127.0.0.1:$port$counter_path")
    python3 - "$results/wrk-c$c-r$round.txt" "$before" "$after" "$c" >"$results/wrk-c$c-r$round.json" <<'PY'
import json, re, sys
text, before, after, c = open(sys.argv[1]).read(), json.loads(sys.argv[2]), json.loads(sys.argv[3]), int(sys.argv[4])
non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
print(json.dumps({
    "concurrency": c,
    "requestsPerSecond": float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)),
    "completed": int(re.search(r"(\d+) requests in", text).group(1)),
    "non2xx": int(non2xx.group(1)) if non2xx else 0,
    "moved": after["value"] - before["value"],
}))
PY
    load_run "ref-http-c$c-r$round" --url "http://127.0.0.1:$port" --concurrency "$c"
    for variant in memory aof-everysec aof-always; do
      redis-benchmark -p "${redis_port[$variant]}" -t incr -c "$c" -n $((c == 1 ? 20000 : 60000)) -q --csv \
        >"$results/redis-$variant-c$c-r$round.csv"
    done
  done
done
kill "${redis_pids[@]}" && wait "${redis_pids[@]}" 2>/dev/null || true
redis_pids=()
stop_host

say "stores called directly"
for c in "${concurrencies[@]}"; do
  load_run "store-sqlite-atomic-c$c" --store sqlite --concurrency "$c"
  load_run "store-sqlite-naive-c$c" --store sqlite --concurrency "$c" --naive
  load_run "store-sqlite-powerloss-atomic-c$c" --store sqlite --durability PowerLoss --concurrency "$c"
  load_run "store-memory-atomic-c$c" --store memory --concurrency "$c"
  load_run "store-memory-naive-c$c" --store memory --concurrency "$c" --naive
done
# The cloud stores against their emulators: dynalite and Azurite (pinned in package-lock.json), Google's Firestore emulator.
wait_port() { for _ in $(seq 1 600); do curl -s -o /dev/null "http://127.0.0.1:$1" && return 0; sleep 0.2; done; return 1; }
cloud_store_runs() {
  local store=$1 endpoint=$2
  for c in "${concurrencies[@]}"; do
    load_run "store-$store-atomic-c$c" --store "$store" --endpoint "$endpoint" --concurrency "$c"
    load_run "store-$store-naive-c$c" --store "$store" --endpoint "$endpoint" --concurrency "$c" --naive
  done
}
[ -x node_modules/.bin/dynalite ] && [ -x node_modules/.bin/azurite-table ] || npm ci --no-audit --no-fund --loglevel=error >/dev/null 2>&1 || true
if [ -x node_modules/.bin/dynalite ]; then
  say "DynamoDB store on dynalite"
  dynamo_port=$(free_port)
  node_modules/.bin/dynalite --port "$dynamo_port" --host 127.0.0.1 --createTableMs 0 >"$results/dynalite.log" 2>&1 &
  emulator_pids+=($!)
  wait_port "$dynamo_port"
  cloud_store_runs dynamodb "http://127.0.0.1:$dynamo_port"
else
  echo "dynalite is not installed (npm ci at the repository root installs it)" >"$results/store-dynamodb.unavailable"
fi
if [ -x node_modules/.bin/azurite-table ]; then
  say "Table Storage store on Azurite"
  tables_port=$(free_port)
  node_modules/.bin/azurite-table --tableHost 127.0.0.1 --tablePort "$tables_port" --inMemoryPersistence --disableTelemetry \
    --skipApiVersionCheck >"$results/azurite.log" 2>&1 &
  emulator_pids+=($!)
  wait_port "$tables_port"
  cloud_store_runs tables "http://127.0.0.1:$tables_port"
else
  echo "Azurite is not installed (npm ci at the repository root installs it)" >"$results/store-tables.unavailable"
fi
firestore_jar=${FIRESTORE_EMULATOR_JAR:-}
if [ -z "$firestore_jar" ] && command -v gcloud >/dev/null; then
  firestore_jar="$(dirname "$(dirname "$(readlink -f "$(command -v gcloud)")")")/platform/cloud-firestore-emulator/cloud-firestore-emulator.jar"
fi
firestore_port=
if [ -f "$firestore_jar" ] && command -v java >/dev/null; then
  say "Firestore store on the Firestore emulator"
  firestore_port=$(free_port)
  java -cp "$firestore_jar" com.google.cloud.datastore.emulator.firestore.CloudFirestore start --host=127.0.0.1 \
    --port="$firestore_port" >"$results/firestore-emulator.log" 2>&1 &
  emulator_pids+=($!)
  wait_port "$firestore_port"
  cloud_store_runs firestore "http://127.0.0.1:$firestore_port"
else
  echo "the Firestore emulator is not installed (apt-get install google-cloud-cli-firestore-emulator openjdk-17-jre-headless)" \
    >"$results/store-firestore.unavailable"
fi

say "crash check: kill -9 the host under load, restart it, count"
port=$(free_port)
rm -f "$out/crash.db"*
start_host "$build/local" "$port" "$out/crash.db"
"$load" --url "http://127.0.0.1:$port" --concurrency 64 --duration 6 --warmup 0 --final-wait 60 --quiet \
  --json "$results/crash.json" >"$results/crash.txt" 2>&1 &
load_pid=$!
sleep 3
kill -9 "$host_pid"
wait "$host_pid" 2>/dev/null || true
start_host "$build/local" "$port" "$out/crash.db"
crash_status=0
wait "$load_pid" || crash_status=$?
echo "$crash_status" >"$results/crash-status"
stop_host

say "cold start: process start to first served increment"
port=$(free_port)
(cd "$build/local" && "$load" cold-start --url "http://127.0.0.1:$port" --runs 5 --fresh-file "$out/cold.db" \
  --json "$results/coldstart-local.json" -- env "Counter__Sqlite__DatabasePath=$out/cold.db" ./Counter.Local --urls "http://127.0.0.1:$port")
if [ "$(cat "$results/aot-local.status")" = ok ]; then
  (cd "$build/local-aot" && "$load" cold-start --url "http://127.0.0.1:$port" --runs 5 --fresh-file "$out/cold.db" \
    --json "$results/coldstart-local-aot.json" -- env "Counter__Sqlite__DatabasePath=$out/cold.db" ./Counter.Local --urls "http://127.0.0.1:$port")
fi
# The Cloud Run host needs Firestore: it serves its first increment from the emulator.
if [ -n "$firestore_port" ]; then
  for variant in cloudrun cloudrun-aot; do
    [ "$variant" = cloudrun ] || [ "$(cat "$results/aot-cloudrun.status")" = ok ] || continue
    executable=Counter.Gcp.CloudRun
    (cd "$build/$variant" && "$load" cold-start --url "http://127.0.0.1:$port" --runs 5 --json "$results/coldstart-$variant.json" \
      -- env "PORT=$port" "FIRESTORE_EMULATOR_HOST=127.0.0.1:$firestore_port" "./$executable")
  done
fi
kill "${emulator_pids[@]}" 2>/dev/null || true
emulator_pids=()

say "micro-benchmarks (BenchmarkDotNet, short job, in process)"
dotnet bench/Counter.Benchmarks/bin/Release/net10.0/Counter.Benchmarks.dll --filter '*' --inProcess --job short \
  --exporters json --artifacts "$out/benchmarkdotnet" >"$results/benchmarks.log" 2>&1
cp "$out"/benchmarkdotnet/results/*-report-full-compressed.json "$results/"

python3 -c 'import json, os, sys; p = sys.argv[1]; d = json.load(open(p)); d["loadAverageAtEnd"] = os.getloadavg()[0]; json.dump(d, open(p, "w"), indent=2)' \
  "$results/machine.json"

say "writing docs/performance.md"
python3 bench/render_page.py "$results" docs/performance.md docs/performance-throughput.svg
