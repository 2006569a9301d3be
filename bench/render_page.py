#!/usr/bin/env python3
"""Writes docs/performance.md and its chart from the results bench/run.sh left in artifacts/bench/results.

Usage: render_page.py RESULTS_DIR PAGE.md CHART.svg
Every figure on the page comes from the files of one run; nothing is typed in by hand.
"""

import csv
import datetime
import glob
import json
import math
import os
import re
import statistics
import sys

CONCURRENCIES = [1, 16, 64]


def load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def read_text(path, default=""):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read().strip()
    except FileNotFoundError:
        return default


def number(value, digits=0):
    return f"{value:,.{digits}f}"


def latency(ms):
    if ms < 0.01:
        return f"{ms * 1000:.1f} µs"
    if ms >= 1000:
        return f"{ms / 1000:.2f} s"
    return f"{ms * 1000:.0f} µs" if ms < 1 else f"{ms:.1f} ms"


class Results:
    def __init__(self, folder):
        self.folder = folder
        self.machine = load_json(os.path.join(folder, "machine.json"))

    def load(self, name):
        path = os.path.join(self.folder, f"load-{name}.json")
        return load_json(path) if os.path.exists(path) else None

    def redis(self, variant, c):
        """The median INCR rate of the interleaved rounds, with every round's rate."""
        runs = []
        for path in sorted(glob.glob(os.path.join(self.folder, f"redis-{variant}-c{c}-r*.csv"))):
            with open(path, encoding="utf-8") as f:
                runs += [float(r["rps"]) for r in csv.DictReader(f) if r.get("test") == "INCR"]
        return {"rps": statistics.median(runs), "runs": runs} if runs else None

    def reference_http(self, c):
        """The median throughput of the load tool's interleaved rounds against the local host."""
        reports = [load_json(p) for p in sorted(glob.glob(os.path.join(self.folder, f"load-ref-http-c{c}-r*.json")))]
        if not reports:
            return None
        return {"throughputPerSecond": statistics.median(r["throughputPerSecond"] for r in reports),
                "runs": [r["throughputPerSecond"] for r in reports], "exact": all(r["exact"] for r in reports)}

    def wrk(self, c):
        """The median request rate of wrk's interleaved rounds, with every round."""
        rounds = [load_json(p) for p in sorted(glob.glob(os.path.join(self.folder, f"wrk-c{c}-r*.json")))]
        if not rounds:
            return None
        return {"requestsPerSecond": statistics.median(w["requestsPerSecond"] for w in rounds), "rounds": rounds}

    def coldstart(self, name):
        path = os.path.join(self.folder, f"coldstart-{name}.json")
        return load_json(path) if os.path.exists(path) else None

    def benchmarks(self):
        rows = []
        for path in sorted(glob.glob(os.path.join(self.folder, "*-report-full-compressed.json"))):
            for b in load_json(path)["Benchmarks"]:
                rows.append({
                    "type": b["Type"],
                    "method": b["Method"],
                    "mean_ns": b["Statistics"]["Mean"],
                    "median_ns": b["Statistics"]["Median"],
                    "bytes": b["Memory"]["BytesAllocatedPerOperation"],
                })
        return rows


def exactness(report):
    if report["exact"]:
        return "exact"
    parts = []
    if report["lost"]:
        parts.append(f"**{number(report['lost'])} lost** ({report['lost'] / report['acknowledged']:.1%})")
    if report["extra"]:
        parts.append(f"**{number(report['extra'])} extra**")
    if report["duplicateValues"]:
        parts.append(f"{number(report['duplicateValues'])} values returned twice")
    return ", ".join(parts)


def errors(report):
    if not report["errors"]:
        return "0"
    return "; ".join(f"{kind}: {number(count)}" for kind, count in report["errors"].items())


SCENARIOS = [
    ("http-sqlite-atomic", "Local host over HTTP, SQLite (ProcessCrash)", "atomic"),
    ("http-sqlite-naive", "Local host over HTTP, SQLite (ProcessCrash)", "naive"),
    ("store-sqlite-atomic", "SQLite store, direct (ProcessCrash)", "atomic"),
    ("store-sqlite-naive", "SQLite store, direct (ProcessCrash)", "naive"),
    ("store-sqlite-powerloss-atomic", "SQLite store, direct (PowerLoss)", "atomic"),
    ("store-memory-atomic", "In-memory store, direct", "atomic"),
    ("store-memory-naive", "In-memory store, direct", "naive"),
    ("store-dynamodb-atomic", "DynamoDB store on dynalite", "atomic"),
    ("store-dynamodb-naive", "DynamoDB store on dynalite", "naive"),
    ("store-tables-atomic", "Table Storage store on Azurite", "atomic"),
    ("store-tables-naive", "Table Storage store on Azurite", "naive"),
    ("store-firestore-atomic", "Firestore store on the Firestore emulator", "atomic"),
    ("store-firestore-naive", "Firestore store on the Firestore emulator", "naive"),
]


def scenario_table(r):
    lines = [
        "| Scenario | Counting | Concurrency | Increments/s | p50 | p95 | p99 | max | Errors | Acknowledged | Counter moved | Check |",
        "|---|---|--:|--:|--:|--:|--:|--:|---|--:|--:|---|",
    ]
    for key, title, mode in SCENARIOS:
        for c in CONCURRENCIES:
            rep = r.load(f"{key}-c{c}")
            if rep is None:
                continue
            lat = rep["latencyMs"]
            lines.append(
                f"| {title} | {mode} | {c} | {number(rep['throughputPerSecond'])} | {latency(lat['p50'])} | "
                f"{latency(lat['p95'])} | {latency(lat['p99'])} | {latency(lat['max'])} | {errors(rep)} | "
                f"{number(rep['acknowledged'])} | {number(rep['applied'])} | {exactness(rep)} |")
    return "\n".join(lines)


def naive_table(r):
    lines = [
        "| Target | Concurrency | Atomic increments/s | Atomic: lost | Naive increments/s | Naive: acknowledged | Naive: lost |",
        "|---|--:|--:|--:|--:|--:|--:|",
    ]
    for key, title in [("http-sqlite", "Local host over HTTP (SQLite)"), ("store-sqlite", "SQLite store, direct"),
                       ("store-memory", "In-memory store, direct"), ("store-dynamodb", "DynamoDB store on dynalite"),
                       ("store-tables", "Table Storage store on Azurite"),
                       ("store-firestore", "Firestore store on the Firestore emulator")]:
        for c in CONCURRENCIES:
            atomic, naive = r.load(f"{key}-atomic-c{c}"), r.load(f"{key}-naive-c{c}")
            if atomic is None or naive is None:
                continue
            lost = naive["lost"]
            lines.append(
                f"| {title} | {c} | {number(atomic['throughputPerSecond'])} | {number(atomic['lost'])} | "
                f"{number(naive['throughputPerSecond'])} | {number(naive['acknowledged'])} | "
                f"{number(lost)} ({lost / max(naive['acknowledged'], 1):.1%}) |")
    return "\n".join(lines)


REDIS_VARIANTS = [
    ("memory", "Redis, no persistence (the reference)"),
    ("aof-everysec", "Redis, AOF `appendfsync everysec` (survives a process crash)"),
    ("aof-always", "Redis, AOF `appendfsync always` (survives a power loss)"),
]


def redis_table(r):
    header = "| | " + " | ".join(f"c = {c}" for c in CONCURRENCIES) + " |"
    lines = [header, "|---|" + "--:|" * len(CONCURRENCIES)]
    host = [r.reference_http(c) for c in CONCURRENCIES]
    lines.append("| Local host over HTTP, SQLite (ProcessCrash), driven by the load tool | "
                 + " | ".join(number(h["throughputPerSecond"]) if h else "–" for h in host) + " |")
    wrk = [r.wrk(c) for c in CONCURRENCIES]
    lines.append("| Local host over HTTP, SQLite (ProcessCrash), driven by `wrk` | "
                 + " | ".join(number(w["requestsPerSecond"]) if w else "–" for w in wrk) + " |")
    for variant, title in REDIS_VARIANTS:
        rows = [r.redis(variant, c) for c in CONCURRENCIES]
        lines.append(f"| {title} | " + " | ".join(number(float(x["rps"])) if x else "–" for x in rows) + " |")
    for client, values in [("load tool", [h["throughputPerSecond"] if h else None for h in host]),
                           ("`wrk`", [w["requestsPerSecond"] if w else None for w in wrk])]:
        for variant, title in REDIS_VARIANTS[:2]:
            ratios = []
            for v, c in zip(values, CONCURRENCIES):
                x = r.redis(variant, c)
                ratios.append(f"{v / float(x['rps']):.2f}" if v and x else "–")
            lines.append(f"| Ratio local host ({client}) / {title.split(' (')[0]} | " + " | ".join(ratios) + " |")
    return "\n".join(lines)


def wrk_check(r):
    rows = [w for c in CONCURRENCIES if r.wrk(c) for w in r.wrk(c)["rounds"]]
    if not rows:
        return "`wrk` did not run."
    answered = sum(w["completed"] for w in rows)
    moved = sum(w["moved"] for w in rows)
    failed = sum(w["non2xx"] for w in rows)
    sound = failed == 0 and all(w["completed"] <= w["moved"] <= w["completed"] + w["concurrency"] for w in rows)
    verdict = ("in every round the counter moved by the answered count plus at most the requests still in flight "
               "when `wrk` stopped" if sound else "**in some round the counter's move does not match the answered count**")
    return (f"`wrk` checks nothing itself, so the script reads the counter before and after each of its {len(rows)} runs: "
            f"{number(answered)} increments answered, {number(failed)} errors, the counter moved by {number(moved)}; {verdict}.")


def coldstart_table(r):
    lines = ["| Host | Build | Median | Best | Runs (ms) |", "|---|---|--:|--:|---|"]
    local, cloudrun = "Local host (`src/Counter.Local`), SQLite", "Cloud Run host (`src/Counter.Gcp.CloudRun`), Firestore emulator"
    normal, aot = "normal (framework-dependent, JIT)", "Native AOT (`PublishAot=true`)"
    for name, host, build in [("local", local, normal), ("local-aot", local, aot),
                              ("cloudrun", cloudrun, normal), ("cloudrun-aot", cloudrun, aot)]:
        rep = r.coldstart(name)
        if rep is None:
            lines.append(f"| {host} | {build} | not measured | | see below |")
            continue
        runs = ", ".join(f"{x:.0f}" for x in rep["runsMs"])
        lines.append(f"| {host} | {build} | {rep['medianMs']:.0f} ms | {rep['minMs']:.0f} ms | {runs} |")
    return "\n".join(lines)


def aot_findings(r, name, what):
    status = read_text(os.path.join(r.folder, f"aot-{name}.status"), "not run")
    log = read_text(os.path.join(r.folder, f"aot-{name}.log"))
    warnings = sorted(set(re.findall(r"warning (IL\d+): (.+?)(?: \[/|$)", log, re.M)))
    if status == "ok" and not warnings:
        return f"**{what}** publishes with Native AOT without a single trim or AOT warning: no dependency blocks AOT."
    if status == "ok":
        listed = "\n".join(f"- `{code}`: {text.strip()}" for code, text in warnings[:15])
        return (f"**{what}** publishes with Native AOT but warns, so parts of it may fail at run time; the warnings "
                f"name the code and the dependency:\n\n" + listed)
    errors = sorted(set(re.findall(r"error (\w+): (.+?)(?: \[/|$)", log, re.M)))[:10]
    listed = "\n".join(f"- `{code}`: {text.strip()}" for code, text in errors) or f"(see artifacts/bench/results/aot-{name}.log)"
    return f"**{what}**: the Native AOT publish failed, so there is no AOT figure:\n\n" + listed


def benchmark_table(rows):
    lines = ["| Benchmark | Mean | Allocated per call |", "|---|--:|--:|"]
    for row in rows:
        mean = row["mean_ns"]
        shown = f"{mean:,.0f} ns" if mean < 10_000 else f"{mean / 1000:,.1f} µs"
        lines.append(f"| `{row['type']}.{row['method']}` | {shown} | {row['bytes']:,} B |")
    return "\n".join(lines)


def chart(r, path):
    series = [
        ("Local host over HTTP (load tool)", "#1f77b4", [r.reference_http(c) for c in CONCURRENCIES], "throughputPerSecond"),
        ("Local host over HTTP (wrk)", "#17becf", [r.wrk(c) for c in CONCURRENCIES], "requestsPerSecond"),
        ("SQLite store, direct", "#2ca02c", [r.load(f"store-sqlite-atomic-c{c}") for c in CONCURRENCIES], "throughputPerSecond"),
        ("In-memory store, direct", "#9467bd", [r.load(f"store-memory-atomic-c{c}") for c in CONCURRENCIES], "throughputPerSecond"),
        ("DynamoDB store on dynalite", "#bcbd22", [r.load(f"store-dynamodb-atomic-c{c}") for c in CONCURRENCIES], "throughputPerSecond"),
        ("Table Storage store on Azurite", "#e377c2", [r.load(f"store-tables-atomic-c{c}") for c in CONCURRENCIES], "throughputPerSecond"),
        ("Firestore store on its emulator", "#7f7f7f", [r.load(f"store-firestore-atomic-c{c}") for c in CONCURRENCIES], "throughputPerSecond"),
        ("Naive over HTTP (loses updates)", "#d62728", [r.load(f"http-sqlite-naive-c{c}") for c in CONCURRENCIES], "throughputPerSecond"),
        ("Redis INCR, no persistence", "#ff7f0e", [r.redis("memory", c) for c in CONCURRENCIES], "rps"),
        ("Redis INCR, AOF everysec", "#8c564b", [r.redis("aof-everysec", c) for c in CONCURRENCIES], "rps"),
    ]
    points = []
    for title, color, reps, field in series:
        values = [float(x[field]) if x else None for x in reps]
        if any(v for v in values):
            points.append((title, color, values))

    width, height, left, right, top, bottom = 760, 420, 80, 250, 40, 50
    all_values = [v for _, _, vs in points for v in vs if v]
    low = 10 ** math.floor(math.log10(min(all_values)))
    high = 10 ** math.ceil(math.log10(max(all_values)))
    plot_w, plot_h = width - left - right, height - top - bottom

    def x(i):
        return left + plot_w * i / (len(CONCURRENCIES) - 1)

    def y(v):
        return top + plot_h * (1 - (math.log10(v) - math.log10(low)) / (math.log10(high) - math.log10(low)))

    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="{left}" y="22" font-size="14" font-weight="bold">Increments per second against concurrency, one counter (log scale)</text>']
    decade = low
    while decade <= high:
        svg.append(f'<line x1="{left}" y1="{y(decade):.1f}" x2="{left + plot_w}" y2="{y(decade):.1f}" stroke="#ddd"/>')
        label = f"{decade / 1e6:g}M" if decade >= 1e6 else f"{decade / 1e3:g}k" if decade >= 1e3 else f"{decade:g}"
        svg.append(f'<text x="{left - 8}" y="{y(decade) + 4:.1f}" text-anchor="end">{label}</text>')
        decade *= 10
    for i, c in enumerate(CONCURRENCIES):
        svg.append(f'<line x1="{x(i):.1f}" y1="{top}" x2="{x(i):.1f}" y2="{top + plot_h}" stroke="#eee"/>')
        svg.append(f'<text x="{x(i):.1f}" y="{top + plot_h + 18}" text-anchor="middle">{c}</text>')
    svg.append(f'<text x="{left + plot_w / 2}" y="{height - 8}" text-anchor="middle">concurrent callers (connections)</text>')
    svg.append(f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="none" stroke="#999"/>')
    for n, (title, color, values) in enumerate(points):
        coords = [(x(i), y(v)) for i, v in enumerate(values) if v]
        dash = ' stroke-dasharray="5,4"' if "Redis" in title or "Naive" in title else ""
        svg.append(f'<polyline fill="none" stroke="{color}" stroke-width="2"{dash} points="'
                   + " ".join(f"{px:.1f},{py:.1f}" for px, py in coords) + '"/>')
        for px, py in coords:
            svg.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3.5" fill="{color}"/>')
        ly = top + 14 + n * 22
        svg.append(f'<line x1="{width - right + 16}" y1="{ly - 4}" x2="{width - right + 40}" y2="{ly - 4}" stroke="{color}" stroke-width="2"{dash}/>')
        svg.append(f'<text x="{width - right + 46}" y="{ly}">{title}</text>')
    svg.append("</svg>")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(svg) + "\n")


def main():
    folder, page_path, chart_path = sys.argv[1:4]
    r = Results(folder)
    m = r.machine
    chart(r, chart_path)

    host64 = r.reference_http(64)
    redis64 = r.redis("memory", 64)
    everysec64 = r.redis("aof-everysec", 64)
    ratio = host64["throughputPerSecond"] / float(redis64["rps"])
    ratio_everysec = host64["throughputPerSecond"] / float(everysec64["rps"])
    wrk64 = r.wrk(64)
    ratio_wrk = wrk64["requestsPerSecond"] / float(redis64["rps"]) if wrk64 else None
    ratio_wrk_text = (f"; driven by `wrk`, a C client like `redis-benchmark`: **{ratio_wrk:.2f}** "
                      f"({number(wrk64['requestsPerSecond'])} increments/s): " + ("goal met" if ratio_wrk >= 0.5 else "goal **not** met")
                      if wrk64 else "")
    crash = load_json(os.path.join(folder, "crash.json")) if os.path.exists(os.path.join(folder, "crash.json")) else None
    benches = r.benchmarks()
    handler = next((b for b in benches if b["method"] == "HandlerIncrement"), None)
    store_b = next((b for b in benches if b["method"] == "StoreIncrement"), None)
    service_b = next((b for b in benches if b["method"] == "ServiceIncrement"), None)
    cold, cold_aot = r.coldstart("local"), r.coldstart("local-aot")
    cold_cloudrun_aot = r.coldstart("cloudrun-aot")
    atomic_reports = [r.load(f"{k}-c{c}") for k, _, mode in SCENARIOS if mode == "atomic" for c in CONCURRENCIES]
    atomic_reports += [x for c in CONCURRENCIES for x in [r.load(p) for p in
                       [os.path.basename(f)[5:-5] for f in glob.glob(os.path.join(folder, f"load-ref-http-c{c}-r*.json"))]]]
    atomic_all_exact = all(x["exact"] for x in atomic_reports if x)
    naive64 = r.load("http-sqlite-naive-c64")
    unavailable = {s: read_text(os.path.join(folder, f"store-{s}.unavailable")).replace("counter-load: ", "")
                   for s in ("dynamodb", "tables", "firestore")}
    cloudrun_aot_note = ""
    if cold_cloudrun_aot and "warning IL" in read_text(os.path.join(folder, "aot-cloudrun.log")):
        cloudrun_aot_note = ("\n\nThe AOT build still served every cold-start increment of this run, but the emulator needs no "
                             "credentials: the warned-about code (Google.Apis.Core and Newtonsoft.Json, which Google.Apis.Auth "
                             "uses to read credentials and tokens) is what real Cloud Run would run and this run did not, so "
                             "test that path before shipping the AOT build.")
    titles = {"dynamodb": "DynamoDB", "tables": "Azure Table Storage", "firestore": "Firestore"}
    not_measured = ("\n".join(f"- {titles[k]} (`--store {k}`): {v}" for k, v in unavailable.items() if v)
                    or "- nothing: every store of this branch has its rows above.")
    seconds = r.load("store-memory-atomic-c1")["measuredSeconds"]
    busy = max(m["loadAverageAtStart"], m.get("loadAverageAtEnd", 0))
    when = datetime.datetime.fromtimestamp(os.path.getmtime(os.path.join(folder, "machine.json")), datetime.timezone.utc)

    page = f"""# Performance

What counting costs, measured: throughput, latency and exactness under load, the same work against Redis,
cold start, and micro-benchmarks of the hot path. Every figure below comes from **one run of
`bench/run.sh`** on the machine described here; compare figures within this page only.

Regenerate this page (tables and chart) with one command from the repository root:

```sh
bench/run.sh
```

It builds `bench/Counter.Load` (the load tool), `bench/Counter.Benchmarks` (BenchmarkDotNet) and the local host
and the Cloud Run host (normal and Native AOT), installs `redis-server`, `redis-tools` and `wrk` from Debian when
missing, starts dynalite, Azurite and the Firestore emulator when they are installed, runs each scenario for
{seconds:.0f} s after a short warm-up, and writes this file and `performance-throughput.svg`. Raw results go to
`artifacts/bench/results/`. It takes about ten minutes on two cores.

To measure one thing yourself, run the load tool against a host you started (`dotnet run --project
src/Counter.Local`) or against a store in-process:

```sh
dotnet run -c Release --project bench/Counter.Load -- --url http://127.0.0.1:5080 --concurrency 64 --duration 10
dotnet run -c Release --project bench/Counter.Load -- --store sqlite --concurrency 16 --naive
dotnet run -c Release --project bench/Counter.Load -- --help
```

It prints throughput, latency percentiles, errors by kind and the exactness check, and exits 1 when an
acknowledged increment was lost or doubled (`--json FILE` writes the same report as JSON). The micro-benchmarks
run with `dotnet run -c Release --project bench/Counter.Benchmarks -- --filter '*'`.

## The machine of this run

| | |
|---|---|
| Run finished | {when:%Y-%m-%d %H:%M} UTC |
| CPU | {m['cpu']}, **{m['cores']} cores** |
| Memory | {m['memoryGiB']} GiB |
| OS kernel | Linux {m['kernel']} |
| .NET SDK | {m['dotnet']} |
| Redis | {m['redis'].split(' sha=')[0]} |
| Load average (1 min) at start / end | {m['loadAverageAtStart']:.1f} / {m.get('loadAverageAtEnd', 0):.1f} |

The load tool, the server under test and Redis all share these {m['cores']} cores: every HTTP figure pays for its
client's CPU too. {"**Other builds ran on the same machine during this run** (a load average above the core count means that work was waiting for a CPU), so absolute figures are lower and noisier than on an idle machine; the ratios within the run are the fairer reading." if busy > m['cores'] else "The machine was otherwise idle."}

## Summary

| Claim | Result |
|---|---|
| No acknowledged increment is lost or doubled (atomic counting, every scenario) | {"**yes**: every atomic run was exact" if atomic_all_exact else "**NO**: see the scenario table"} |
| The tutorial's read-then-write loses updates | {f"yes: {number(naive64['lost'])} of {number(naive64['acknowledged'])} acknowledged increments ({naive64['lost'] / naive64['acknowledged']:.0%}) lost over HTTP at 64 callers" if naive64 else "not measured"} |
| Acknowledged increments survive `kill -9` of the host | {crash_summary(crash, read_text(os.path.join(folder, "crash-status")))} |
| Local host ≥ 0.5 × Redis non-pipelined INCR at 64 connections | driven by the load tool (.NET `HttpClient`, exactness checked): **{ratio:.2f}** ({number(host64['throughputPerSecond'])} vs {number(float(redis64['rps']))} increments/s): {"goal met" if ratio >= 0.5 else "goal **not** met"}{ratio_wrk_text}. Against Redis with the same durability (AOF everysec) the load-tool ratio is {ratio_everysec:.2f} |
| Handler increment < 5 µs and < 1 KiB allocated | {f"{handler['mean_ns']:,.0f} ns and {handler['bytes']:,} B: " + ("goal met" if handler['mean_ns'] < 5000 and handler['bytes'] < 1024 else "goal **not** met") if handler else "not measured"} |
| Cold start of the local host, normal / Native AOT | {f"{cold['medianMs']:.0f} ms" if cold else "–"} / {f"{cold_aot['medianMs']:.0f} ms" if cold_aot else "not measured"} (median) |

## Throughput against concurrency

![Increments per second at 1, 16 and 64 concurrent callers](performance-throughput.svg)

Solid lines count atomically and exactly; dashed lines are references (Redis) or wrong (naive). The local host
(load tool and `wrk`) and Redis lines are medians of three interleaved rounds; the store lines are single runs.

## Every scenario

One hot counter, a fresh counter name per run. *Atomic* is Counter's increment (`POST /counters/{{name}}` or
`CounterService.IncrementAsync`); *naive* is the tutorial's way: read the value, add one, write it back (`GET`
then `PUT` over HTTP, `GetAsync` then `SetAsync` on a store). *Check*: the counter's final value minus its start value must equal the acknowledged increments, and
the values returned to callers must all differ. Latencies are per acknowledged increment, measured by the load
tool (so they include the client's own time).

{scenario_table(r)}

*ProcessCrash* is the SQLite store's default durability (WAL, `synchronous=NORMAL`): an increment is acknowledged
only after its transaction commits to the WAL file, which survives a crash of the process but may lose the last
commits in a power loss. *PowerLoss* (`synchronous=FULL`) waits for the disk on every commit. The store commits
every increment waiting at that moment in one transaction (group commit), which is why throughput rises with
concurrency instead of being capped by one commit per increment.

{contention_note(r)}

### Naive against atomic

{naive_table(r)}

With one caller the naive way loses nothing, because nothing interleaves; as soon as callers overlap, a read
that another caller's write makes stale turns into a lost update, and the acknowledged count overstates the
counter. Counter's atomic increment loses nothing at any concurrency.

### Crash check

{crash_text(crash, read_text(os.path.join(folder, "crash.txt")))}

### Emulators, and what is not measured

The cloud stores run against local emulators here (dynalite for DynamoDB, Azurite for Table Storage, Google's
Firestore emulator), so their figures measure the store's code and the emulator on this machine, not the cloud
service: a real round trip adds network latency, and the services' contention behaviour differs. What is
missing:

{not_measured}

Nothing is estimated in their place. When a store lands, it gets its case in
`bench/Counter.Load/Targets/StoreFactory.cs` and its rows here (atomic and naive at 1, 16 and 64).

## Redis reference

`redis-benchmark -t incr -c C -n N` (non-pipelined `INCR`, one request in flight per connection) on the same
machine in the same run, against Counter's local host at the same concurrency, driven both by the load tool
(which checks every increment) and by `wrk` (a C client, as light as `redis-benchmark`). Each figure is the
median of three rounds in which all of them ran one after the other at each concurrency, so that each saw the
same background load; the round-by-round figures are in `artifacts/bench/results/`.

{redis_table(r)}

{wrk_check(r)}

**Durability compared.** The local host runs with its shipped configuration (`appsettings.json`:
`Counter:Sqlite:Durability = ProcessCrash`): every acknowledged increment is committed to SQLite's write-ahead log
before the answer is sent, so it survives a crash or `kill -9` of the process (the crash check above tests it)
but not necessarily a power loss. Redis without persistence keeps nothing across a crash; Redis with
`appendfsync everysec` writes each `INCR` to its append-only file (without fsync) before replying, the same
guarantee as ours;
`appendfsync always` also fsyncs, like our *PowerLoss* setting.

**What limits the ratio.** Each HTTP increment costs far more CPU than a Redis `INCR` on both sides of the
connection: the load tool's `HttpClient` and Kestrel parse and write HTTP/1.1 messages, while `redis-benchmark`
is a small C client speaking RESP. On {m['cores']} shared cores the client takes a large part of the CPU, which
is why the same host answers more increments per second to `wrk` (a C client) than to the load tool: the
`wrk` row is the like-for-like comparison with `redis-benchmark`, the load-tool row the one whose every
increment is checked.
Behind the HTTP layer, each increment goes through one SQLite writer thread; group commit makes the fsync-free
commit cheap, and the store called directly (no HTTP) reaches
{number(r.load('store-sqlite-atomic-c64')['throughputPerSecond'])} increments/s at 64 callers in this run.

## Cold start

Milliseconds from starting the process to the first answered `POST /counters/cold-start`, polled every
millisecond by `counter-load cold-start`; a fresh database file each run (so the time includes creating it).

{coldstart_table(r)}

The Cloud Run host's time includes its first Firestore round trip, to the emulator on this machine (on Cloud Run
it would go to Firestore over the network, and the container start itself comes on top).

The local host references Counter.Core, Counter.AspNetCore, Counter.Sqlite and Microsoft.Data.Sqlite with
SQLitePCLRaw's bundled `e_sqlite3`. {aot_findings(r, "local", "The local host")}

The Cloud Run host references Counter.Core, Counter.AspNetCore, Counter.Gcp (Firestore over REST) and
Google.Apis.Auth. {aot_findings(r, "cloudrun", "The Cloud Run host")}{cloudrun_aot_note}

## Micro-benchmarks

BenchmarkDotNet (`ShortRun` job, in-process toolchain), one increment through each layer with the in-memory store
underneath: `StoreIncrement` is the store alone, `ServiceIncrement` adds `CounterService` (rules, clock,
metrics), `HandlerIncrement` is what a host calls for `POST /counters/page-views` (building the
`CounterHttpRequest` included), `HandlerIncrementWithBody` sends `{{"by":1}}`. The name benchmarks parse an ASCII
name, a name that NFC must normalise, and one with an emoji, and encode the storage key.

{benchmark_table(benches)}

{dominates(handler, store_b, service_b, benches)}
"""
    with open(page_path, "w", encoding="utf-8") as f:
        f.write(page)


def contention_note(r):
    """Names the stores whose atomic throughput on one hot counter falls as callers are added."""
    falling = []
    for key, title, mode in SCENARIOS:
        if mode != "atomic" or not key.startswith("store-") or key.startswith("store-memory"):
            continue
        low, high = r.load(f"{key}-c1"), r.load(f"{key}-c64")
        if low and high and high["throughputPerSecond"] < 0.8 * low["throughputPerSecond"]:
            falling.append(f"{title} ({number(low['throughputPerSecond'])} increments/s with one caller, "
                           f"{number(high['throughputPerSecond'])} with 64, p99 {latency(high['latencyMs']['p99'])})")
    if not falling:
        return ""
    return ("On one hot counter, atomic throughput *falls* as callers are added for: " + "; ".join(falling)
            + ". Such a store applies an increment with an optimistic, conditional write and retries when another "
            "caller won the race, so concurrent callers of one counter mostly retry; spreading the load over many "
            "counters (`--counters N`) avoids it. The counts stay exact.")


def crash_summary(crash, status):
    if crash is None:
        return "not measured"
    if crash["exact"] and status == "0":
        return f"**yes**: {number(crash['acknowledged'])} acknowledged, none lost after the restart"
    return "**NO**: see the crash check"


def crash_text(crash, text):
    if crash is None:
        return "The crash check did not run."
    window = (f"{number(crash['uncertain'])} failed with an outcome the client cannot know: those cut off in flight "
              "when the process died, and those refused while it restarted (the tool counts a refusal as unknown too, "
              "because .NET's HTTP client may have resent a request whose first attempt reached the dying process)")
    verdict = ("Every acknowledged increment was there after the restart, and none was counted twice."
               if crash["exact"] else "**Acknowledged increments were lost or doubled.**")
    return f"""The load tool drives 64 callers at the local host; after 3 s the script kills the host with `kill -9`,
starts it again on the same database file, and the load goes on; at the end the tool reads the counter from the
restarted host. {number(crash['acknowledged'])} increments were acknowledged; {window}. Errors by kind:
{errors(crash)}. The counter moved by {number(crash['applied'])}, which must lie between the acknowledged count
and the acknowledged plus the unknown ones. {verdict}"""


def dominates(handler, store_b, service_b, benches):
    if not (handler and store_b and service_b):
        return ""
    with_body = next((b for b in benches if b["method"] == "HandlerIncrementWithBody"), None)
    body_cost = f" Parsing a `{{\"by\":1}}` body adds {with_body['mean_ns'] - handler['mean_ns']:,.0f} ns and {with_body['bytes'] - handler['bytes']:,} B." if with_body else ""
    return f"""**What dominates.** Of the {handler['mean_ns']:,.0f} ns per handler increment, the in-memory store's
atomic update takes {store_b['mean_ns']:,.0f} ns; `CounterService` adds {service_b['mean_ns'] - store_b['mean_ns']:,.0f} ns
(reading the clock, recording the increment and its duration on the `Counter` meter, and the async state
machines), with no allocation; the HTTP layer adds {handler['mean_ns'] - service_b['mean_ns']:,.0f} ns and all
{handler['bytes']:,} B: the decoded name string and its `CounterName`, the response body serialised to a new
UTF-8 byte array, the response record and object, and the request object the host builds.{body_cost} Both goals
(under 5 µs, under 1 KiB) hold with a wide margin, so no change to Core was needed for them; a real store's
I/O (the SQLite commit, a cloud round trip) is orders of magnitude larger than this."""


if __name__ == "__main__":
    main()
