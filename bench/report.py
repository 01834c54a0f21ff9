"""The benchmark's summary: scaling slopes, the chart and the text printed at the end of a run."""

from __future__ import annotations

import math
from pathlib import Path


def log_log_slope(xs: list[float], ys: list[float]) -> float | None:
    """Least-squares slope of log(y) on log(x): 1 is linear growth."""
    points = [(math.log(x), math.log(y)) for x, y in zip(xs, ys) if x > 0 and y > 0]
    if len(points) < 2:
        return None
    mx = sum(p[0] for p in points) / len(points)
    my = sum(p[1] for p in points) / len(points)
    den = sum((p[0] - mx) ** 2 for p in points)
    return round(sum((p[0] - mx) * (p[1] - my) for p in points) / den, 3) if den else None



def long_article_scaling(runs: list[dict]) -> dict:
    """Per layout: log-log slopes of time against article length, end to end and per stage.

    Start-up costs (imports, the quality suite's set-up) are the same at every length and
    flatten the end-to-end slope; the per-stage slopes of the stages that do real work per
    character (normalize, aggregate) are the ones that would show quadratic growth.
    """
    out = {}
    for layout in sorted({r["layout"] for r in runs}):
        done = sorted((r for r in runs if r["layout"] == layout and r.get("complete")), key=lambda r: r["n_bytes"])
        if len(done) < 2:
            continue
        xs = [r["n_bytes"] for r in done]

        def slopes(walls: list[float], cpus: list[float]) -> dict:
            return {"all_sizes": log_log_slope(xs, walls), "largest_two": log_log_slope(xs[-2:], walls[-2:]),
                    "largest_two_cpu": log_log_slope(xs[-2:], cpus[-2:])}

        entry = {"n_bytes": xs,
                 "end_to_end": slopes([r["end_to_end_s"] for r in done], [r["end_to_end_cpu_s"] for r in done])}
        for stage in done[-1]["stages"]:
            entry[stage] = slopes([r["stages"][stage]["wall_s"] for r in done], [r["stages"][stage]["cpu_s"] for r in done])
        out[layout] = entry
    return out



def collection_summary(entries: list[dict]) -> str:
    lines = []
    for r in entries:
        stages = ", ".join(f"{name} {s.get('wall_s', '?')} s / {s.get('max_rss_mb', '?')} MB"
                           for name, s in r.get("stages", {}).items())
        lines.append(f"{r['n_articles']:,} articles as one {r['shape']} ({r.get('collection_mb', '?')} MB): "
                     f"end to end {r.get('end_to_end_s', '?')} s, peak {r.get('peak_rss_mb', '?')} MB, rows accounted "
                     f"{r.get('rows_accounted')}; {stages}")
    return "\n".join(lines)

def scaling(results: dict) -> dict:
    """Log-log slopes of wall time against size: over all sizes ≥ 1,000 and between the two largest.

    Fixed costs (interpreter start, imports) flatten the curve at small sizes, so the slope
    between the two largest sizes is the one that says whether growth is linear.
    """
    done = sorted((r for r in results.get("sizes", []) if r.get("timed") and r["n_files"] >= 1000),
                  key=lambda r: r["n_files"])
    if len(done) < 2:
        return {}
    ns = [r["n_files"] for r in done]

    def slopes(walls: list[float], cpus: list[float]) -> dict:
        # CPU time is less disturbed than wall time by other work on a shared machine
        return {"all_sizes": log_log_slope(ns, walls), "largest_two": log_log_slope(ns[-2:], walls[-2:]),
                "largest_two_cpu": log_log_slope(ns[-2:], cpus[-2:])}

    out = {"sizes": ns, "end_to_end": slopes([r["end_to_end_s"] for r in done], [r["end_to_end_cpu_s"] for r in done])}
    for stage in done[-1]["stages"]:
        if all("wall_s" in r["stages"].get(stage, {}) for r in done):
            out[stage] = slopes([r["stages"][stage]["wall_s"] for r in done], [r["stages"][stage]["cpu_s"] for r in done])
    return out


def plot(results: dict, target: Path) -> None:
    """Per-stage wall time against corpus size, log-log, with a linear reference."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    runs = sorted(results.get("sizes", []), key=lambda r: r["n_files"])
    if not runs:
        return
    fig, ax = plt.subplots(figsize=(8, 5.5), dpi=120)
    stages = list(dict.fromkeys(s for r in runs for s, v in r["stages"].items() if "wall_s" in v))
    for stage in stages:
        pts = [(r["n_files"], r["stages"][stage]["wall_s"]) for r in runs if "wall_s" in r["stages"].get(stage, {})]
        ax.plot(*zip(*pts), marker="o", label=stage)
    totals = [(r["n_files"], r["end_to_end_s"]) for r in runs if r.get("timed")]
    if totals:
        ax.plot(*zip(*totals), marker="s", color="black", linewidth=2.2, label="end to end")
        n0, t0 = totals[0]
        xs = [min(r["n_files"] for r in runs), max(r["n_files"] for r in runs)]
        ax.plot(xs, [t0 * x / n0 for x in xs], linestyle="--", color="grey", label="linear reference")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("corpus size (input files)")
    ax.set_ylabel("wall time (s)")
    ax.set_title("Stage wall time against corpus size")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(target, metadata={"Software": None})
    plt.close(fig)


def summary_text(results: dict) -> str:
    lines = ["", "Benchmark summary", "================="]
    for r in sorted(results.get("sizes", []), key=lambda r: r["n_files"]):
        lines.append(f"\n{r['n_files']:,} files (generated in {r['generate']['wall_s']:.1f} s, "
                     f"load average {r.get('load_average_before')}):")
        for stage, s in r["stages"].items():
            if "wall_s" in s:
                flag = "" if s["status"] == "ok" else f"  ({s['status'].upper()})"
                lines.append(f"  {stage:<10} {s['wall_s']:>8.2f} s wall {s['cpu_s']:>8.2f} s cpu"
                             f"  {s['files_per_s'] or 0:>9.1f} files/s  {s['max_rss_mb']:>6.0f} MB{flag}")
            else:
                lines.append(f"  {stage:<10} {s.get('status')}")
        if r.get("timed"):
            lines.append(f"  {'total':<10} {r['end_to_end_s']:>8.2f} s wall {r['end_to_end_cpu_s']:>8.2f} s cpu"
                         f"  {r['files_per_s']:>9.1f} files/s  {r['peak_rss_mb']:>6.0f} MB peak")
        t = r.get("truth")
        if t:
            co, k, e = t["conflicts"], t["claims"], t["events"]
            c, typed = co["overall"], co["typed"]
            lines.append(f"  conflicts (confirmed) P {c['precision']:.3f} R {c['recall']:.3f} (typed P "
                         f"{typed['precision']:.3f} R {typed['recall']:.3f}; {c['n_predicted']} reported, "
                         f"{c['n_truth']} true) | between different events {co['cross_event_confirmed']} | "
                         f"to check {co['to_check']['n']} ({co['to_check']['n_true']} true)")
            if co["false_positive_causes"]:
                lines.append("  false conflicts by cause: " + ", ".join(
                    f"{cause} {n}" for cause, n in sorted(co["false_positive_causes"].items(), key=lambda x: -x[1])))
            lines.append(f"  claims P {k['precision']:.3f} R {k['recall']:.3f} | events P {e['precision']:.3f} "
                         f"R {e['recall']:.3f} | fact sentences matched {t['sentences']['match_rate']:.3f} | "
                         f"ingest {t['ingest']['reason_accuracy']:.3f}")
    long_runs = results.get("long_articles", {}).get("runs", [])
    if long_runs:
        lines.append("\nlong articles (one file alone in seeds/), wall / cpu seconds per stage:")
        for r in sorted(long_runs, key=lambda r: (r["layout"], r["n_bytes"])):
            stages = "  ".join(f"{k} {v['wall_s']:.1f}/{v['cpu_s']:.1f}" for k, v in r["stages"].items())
            lines.append(f"  {r['layout']:<16} {r['n_bytes']:>9,} B: total {r['end_to_end_s']:6.1f} s wall "
                         f"{r['end_to_end_cpu_s']:6.1f} s cpu, peak {r['peak_rss_mb']:.0f} MB  ({stages})")
        for layout, entry in results.get("long_articles", {}).get("scaling", {}).items():
            lines.append(f"  {layout}: log-log slope of cpu time between the two longest (1 = linear): "
                         + ", ".join(f"{k} {v['largest_two_cpu']}" for k, v in entry.items() if isinstance(v, dict)))
    dvc = results.get("dvc", {})
    if dvc:
        clean, noop = dvc.get("seeds_from_clean", {}), dvc.get("noop_repro", {})
        lines.append(f"\nseed corpus, dvc repro from clean: {clean.get('wall_s')} s wall, {clean.get('cpu_s')} s cpu "
                     f"({clean.get('status')}); no-op dvc repro: {noop.get('wall_s')} s wall, {noop.get('cpu_s')} s cpu "
                     f"(median of 5; load average {dvc.get('load_average')})")
    slopes = results.get("scaling", {})
    if slopes:
        lines.append("\nlog-log slope of time against size between the two largest sizes (1 = linear), wall / cpu:")
        lines.append("  " + ", ".join(f"{k} {v['largest_two']} / {v['largest_two_cpu']}"
                                      for k, v in slopes.items() if isinstance(v, dict)))
    lines.append("\nTargets:")
    for name, t in results.get("targets", {}).items():
        mark = {True: "met", False: "MISSED", None: "not measured"}[t["met"]]
        lines.append(f"  [{mark:^12}] {t['target']}")
    return "\n".join(lines)



def workers_speedup(result: dict) -> dict:
    """Per stage and in total (the stages run), the wall-time speed-up of each number of workers
    against the fewest run: {stage: {workers: t(fewest) / t(workers)}}; None where a run failed."""
    runs = result.get("workers", {})
    if not runs:
        return {}
    counts = sorted(runs, key=int)
    base = counts[0]

    def wall(n: str, stage: str | None) -> float | None:
        stages = runs[n]["stages"]
        picked = stages.values() if stage is None else [stages.get(stage, {})]
        if not picked or any(s.get("status") != "ok" for s in picked):
            return None
        return sum(s["wall_s"] for s in picked)

    out = {}
    for stage in [*runs[base]["stages"], None]:
        base_wall = wall(base, stage)
        out[stage or "total"] = {n: (round(base_wall / w, 2) if base_wall and (w := wall(n, stage)) else None)
                                 for n in counts}
    return out


def workers_summary(entries: list[dict]) -> str:
    """The worker runs as text: per corpus size and number of workers, each stage's wall and CPU
    time, speed-up against the fewest workers, and each worker's peak memory."""
    lines = ["\nexecution engine dask, LocalCluster (wall s / cpu s of stage and workers; speed-up; "
             "peak RSS per worker MB):"]
    for r in entries:
        lines.append(f"  {r['n_files']:,} files, load average {r.get('load_average_before')} before, outputs "
                     f"identical for every number of workers: {r.get('identical_outputs')}")
        speedup = r.get("speedup", {})
        for n, run in sorted(r.get("workers", {}).items(), key=lambda item: int(item[0])):
            parts = []
            for stage, s in run["stages"].items():
                if "wall_s" not in s:
                    continue
                peaks = "/".join(f"{w['max_rss_mb']:.0f}" for w in s.get("workers", []))
                parts.append(f"{stage} {s['wall_s']:.1f}/{s['cpu_s']:.1f} x{speedup.get(stage, {}).get(n)}"
                             + (f" [{peaks}]" if peaks else ""))
            lines.append(f"    {n} worker(s): total x{speedup.get('total', {}).get(n)}; " + ", ".join(parts))
    return "\n".join(lines)
