"""brocheck's speed and scale benchmark (issues 6 and 14). Not a test: it prints figures, it asserts nothing.

    python benchmarks/bench.py            # full run (several minutes on 2 cores)
    python benchmarks/bench.py --quick    # fewer repetitions (a few minutes)
    python benchmarks/bench.py --readme   # also print the README's performance table

Run it with the Python that has brocheck installed with its bench extra (`pip install -e '.[bench]'`): its
`brocheck`, `yamllint` and `check-jsonschema` are taken from the same bin directory. All figures of one run
are printed side by side as ratios against their targets. Every figure is a median of several runs:

- Cold CLI runs are whole subprocesses, wall clock, output to /dev/null, after a warm-up run (which also
  fills brocheck's rule-set cache and Python's bytecode cache, as after `pip install` and a first run):
  `brocheck assess` of the Borås case as JSON, `brocheck check` of it, `brocheck --version`, and what they
  are held against: `yamllint` on the file (default configuration), `check-jsonschema` validating it against
  the local schema/case.schema.json (offline), `python -c "import typer"`, and the floor of this stack: a
  process that imports PyYAML, Jinja and Typer, parses the file with CSafeLoader and validates one small
  Pydantic model.
- Batches: `brocheck assess DIR --format json --output FILE -j N` run in a fresh worker process through
  `brocheck.cli.main.main`, timed after brocheck's modules are imported (as `brocheck` runs: cyclic garbage
  collector off): wall clock, CPU time of the process and of its workers (resource.getrusage), and peak
  memory (max RSS: the largest single process, from /proc/self/status VmHWM for the worker itself and
  resource.getrusage for its children). The parse floor is timed the same way: a
  fresh process imports PyYAML, then reads the same files and parses them with `yaml.load(text,
  Loader=yaml.CSafeLoader)`. The N cases come from benchmarks/generate.py (fixed seed) in benchmarks/out/
  (git-ignored).
  The three kinds (-j 1, -j 2, parse floor) take turns run by run, as the CLI commands do, and so do the
  two batch sizes while both have runs left.
- Time per case at N=2,900 against N=290: brocheck's growth divided by the parse floor's, measured side by
  side like every other ratio here. Taken alone, brocheck's growth measured the machine as much as brocheck:
  four runs in one day, of code within 5 % of the same instructions per case, gave 0.92, 1.24, 1.07 and
  1.13, and the final code 9.8, 10.1 and 11.7 ms a case in three runs a minute apart (N=290, 2,900, 290);
  the floor, reading the same files, moves with it. Both figures are printed.
- Byte identity: the batch outputs of `-j 1` and `-j 2` are compared.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BORAS = ROOT / "cases" / "boras-2025.yaml"
SCHEMA = ROOT / "schema" / "case.schema.json"
BIN = Path(sys.executable).parent
MB = 1024 * 1024

FLOOR_SCRIPT = f"""
import yaml, jinja2, typer
from pydantic import BaseModel
class Kommun(BaseModel):
    namn: str
    kod: str
with open({str(BORAS)!r}, encoding="utf-8") as f:
    data = yaml.load(f.read(), Loader=yaml.CSafeLoader)
Kommun.model_validate(data["kommun"])
"""


# --- workers (run in a fresh process by the benchmark) ------------------------------------------


def _files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


def _usage(t0: float, self0: resource.struct_rusage, children0: resource.struct_rusage) -> dict[str, float]:
    wall = time.perf_counter() - t0
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = sum(getattr(b, f) - getattr(a, f) for a, b in ((self0, own), (children0, kids))
              for f in ("ru_utime", "ru_stime"))
    return {"total": wall, "cpu": cpu, "maxrss": max(_peak_rss(), kids.ru_maxrss * 1024)}


def _peak_rss() -> int:
    """This process's peak resident memory in bytes. Not getrusage(RUSAGE_SELF): on Linux its ru_maxrss
    keeps, across exec, the peak of the process that started this one (the benchmark itself, tens of MB
    with the generated cases), so every worker would report at least that."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def worker_assess(directory: Path, jobs: str) -> dict[str, Any]:
    """`brocheck assess DIR --format json --output FILE -j N` in this process, after its imports."""
    import gc

    import brocheck.cli.assess
    import brocheck.cli.main
    import brocheck.render.json_format  # imported before the clock starts, like the others

    gc.disable()  # as the `brocheck` command runs
    target = directory.parent / f".{directory.name}-{jobs}.json"
    argv = ["assess", str(directory), "--format", "json", "--output", str(target), "-j", jobs, "-q"]
    t0, self0, children0 = time.perf_counter(), resource.getrusage(resource.RUSAGE_SELF), \
        resource.getrusage(resource.RUSAGE_CHILDREN)
    code = brocheck.cli.main.main(argv)
    result: dict[str, Any] = _usage(t0, self0, children0)
    if code:
        raise RuntimeError(f"brocheck {' '.join(argv)} failed with exit code {code}")
    result["sha256"] = hashlib.sha256(target.read_bytes()).hexdigest()
    result["files"] = len(_files(directory))
    target.unlink()
    return result


def worker_parse(directory: Path, _: str) -> dict[str, Any]:
    import yaml

    files = _files(directory)
    t0, self0, children0 = time.perf_counter(), resource.getrusage(resource.RUSAGE_SELF), \
        resource.getrusage(resource.RUSAGE_CHILDREN)
    for path in files:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        assert isinstance(data, dict)
    return {**_usage(t0, self0, children0), "files": len(files)}


# --- the benchmark --------------------------------------------------------------------------------


ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def once(cmd: list[str]) -> float:
    """Wall-clock seconds of `cmd` as a subprocess (stdout and stderr to /dev/null)."""
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, cwd=ROOT, env=ENV)
    return time.perf_counter() - t


def walls(cmds: dict[str, list[str]], runs: int) -> dict[str, float]:
    """Median wall clock of each command, after a warm-up run of each; the commands take turns run by run,
    so that a busy moment of the machine does not fall on one of them only."""
    for cmd in cmds.values():
        once(cmd)
    times: dict[str, list[float]] = {name: [] for name in cmds}
    for _ in range(runs):
        for name, cmd in cmds.items():
            times[name].append(once(cmd))
    return {name: statistics.median(values) for name, values in times.items()}


def in_workers(kinds: dict[str, tuple[str, str]],
               batches: dict[int, tuple[Path, int]]) -> dict[int, dict[str, dict[str, Any]]]:
    """For each batch (N: its directory and number of runs) and each named (kind, jobs): the run of median total
    among the fresh worker processes timing themselves. Everything takes turns run by run: the kinds, and the
    batch sizes while each still has runs to make, so that a slower moment of the machine does not fall on one
    of them only: the ratios between them are what the targets are about, the time per case at N=2,900
    against the one at N=290 included."""
    results: dict[int, dict[str, list[dict[str, Any]]]] = {n: {name: [] for name in kinds} for n in batches}
    for turn in range(max(runs for _, runs in batches.values())):
        for n, (directory, runs) in batches.items():
            if turn >= runs:
                continue
            for name, (kind, jobs) in kinds.items():
                out = subprocess.run([sys.executable, __file__, "--worker", kind, str(directory), jobs], check=True,
                                     capture_output=True, text=True, cwd=ROOT, env=ENV)
                results[n][name].append(json.loads(out.stdout))
    medians: dict[int, dict[str, dict[str, Any]]] = {n: {} for n in batches}
    for n, named in results.items():
        for name, found in named.items():
            found.sort(key=lambda r: r["total"])
            median = dict(found[len(found) // 2])
            median["maxrss"] = max(r["maxrss"] for r in found)
            median["cpu"] = statistics.median(r["cpu"] for r in found)
            medians[n][name] = median
    return medians


def generated(n: int, seed: int, out: Path) -> Path:
    """benchmarks/out/cases-N: N generated cases, regenerated when missing or of another seed."""
    sys.path.insert(0, str(HERE))
    import generate

    directory = out / f"cases-{n}"
    stamp = directory / ".stamp"
    key = f"seed={seed} n={n} generator={hash_file(HERE / 'generate.py')}"
    if not (stamp.is_file() and stamp.read_text() == key):
        generate.write(directory, n, seed)
        stamp.write_text(key)
    return directory


def hash_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms" if seconds < 10 else f"{seconds:,.1f} s"


def table(header: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c.rjust(w) if i in right else c.ljust(w)
                                 for i, (c, w) in enumerate(zip(cells, widths, strict=True))) + " |"

    rule = "| " + " | ".join("-" * (w - 1) + (":" if i in right else "-") for i, w in enumerate(widths)) + " |"
    return [line(header), rule, *(line(r) for r in rows)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="brocheck benchmark (issues 6 and 14)")
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (a few minutes)")
    parser.add_argument("--readme", action="store_true", help="also print the README's performance section tables")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    parser.add_argument("--out", type=Path, default=HERE / "out", help="where generated cases go")
    parser.add_argument("--worker", nargs=3, metavar=("KIND", "DIR", "JOBS"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        kind, directory, jobs = args.worker
        workers = {"assess": worker_assess, "parse": worker_parse}
        print(json.dumps(workers[kind](Path(directory), jobs)))
        return 0

    cli_runs, small_runs, big_runs = (7, 3, 1) if args.quick else (21, 5, 3)
    tools = {name: str(BIN / name) for name in ("brocheck", "yamllint", "check-jsonschema")}
    for tool in tools.values():
        if not Path(tool).exists():
            print(f"{tool} saknas: kör med den Python där brocheck är installerat med bench-tillägget "
                  "(pip install -e '.[bench]')", file=sys.stderr)
            return 2

    print(f"brocheck benchmark — {platform.python_implementation()} {platform.python_version()}, "
          f"{os.cpu_count()} CPU cores, {platform.machine()}; medians of {cli_runs} (CLI) / {small_runs} "
          f"(N=290) / {big_runs} (N=2,900) runs{' (--quick)' if args.quick else ''}")
    print("generating cases …", file=sys.stderr)
    d290 = generated(290, args.seed, args.out)
    d2900 = generated(2900, args.seed, args.out)

    print("timing the CLI …", file=sys.stderr)
    brocheck = tools["brocheck"]
    cli = walls({
        "assess": [brocheck, "assess", str(BORAS), "--format", "json"],
        "check": [brocheck, "check", str(BORAS)],
        "version": [brocheck, "--version"],
        "yamllint": [tools["yamllint"], str(BORAS)],
        "jsonschema": [tools["check-jsonschema"], "--schemafile", str(SCHEMA), str(BORAS)],
        "floor": [sys.executable, "-c", FLOOR_SCRIPT],
        "typer": [sys.executable, "-c", "import typer"],
    }, cli_runs)

    print("timing batches …", file=sys.stderr)
    batch = in_workers({"j1": ("assess", "1"), "j2": ("assess", "2"), "parse": ("parse", "1")},
                       {290: (d290, small_runs), 2900: (d2900, big_runs)})

    rows = [
        ("brocheck assess cases/boras-2025.yaml --format json (cold)", ms(cli["assess"])),
        ("brocheck check cases/boras-2025.yaml (cold)", ms(cli["check"])),
        ("brocheck --version", ms(cli["version"])),
        ("yamllint cases/boras-2025.yaml", ms(cli["yamllint"])),
        ("check-jsonschema --schemafile schema/case.schema.json cases/boras-2025.yaml", ms(cli["jsonschema"])),
        ("floor: import yaml, jinja2, typer; parse; validate one Pydantic model", ms(cli["floor"])),
        ('python -c "import typer"', ms(cli["typer"])),
    ]
    for n, b in batch.items():
        rows += [
            (f"N={n:,}: assess -j 1, wall / CPU", f"{ms(b['j1']['total'])} / {ms(b['j1']['cpu'])}"),
            (f"N={n:,}: assess -j 2, wall / CPU", f"{ms(b['j2']['total'])} / {ms(b['j2']['cpu'])}"),
            (f"N={n:,}: parse floor (CSafeLoader), wall / CPU", f"{ms(b['parse']['total'])} / {ms(b['parse']['cpu'])}"),
            (f"N={n:,}: peak memory (max RSS) -j 1 / -j 2 / parse floor",
             f"{b['j1']['maxrss'] / MB:,.0f} / {b['j2']['maxrss'] / MB:,.0f} / {b['parse']['maxrss'] / MB:,.0f} MB"),
        ]
    print()
    for line in table(["measurement", "median"], [list(r) for r in rows], {1}):
        print(line)

    b290, b2900 = batch[290], batch[2900]
    per = {n: b["j1"]["cpu"] / b["j1"]["files"] for n, b in batch.items()}
    floor = {n: b["parse"]["cpu"] / b["parse"]["files"] for n, b in batch.items()}
    growth, floor_growth = per[2900] / per[290], floor[2900] / floor[290]
    same = all(b["j1"]["sha256"] == b["j2"]["sha256"] for b in batch.values())
    ratios: list[tuple[str, float, float]] = [
        ("cold assess / yamllint", cli["assess"] / cli["yamllint"], 1.2),
        ("cold assess / check-jsonschema", cli["assess"] / cli["jsonschema"], 0.7),
        ("cold assess / stack floor", cli["assess"] / cli["floor"], 1.2),
        ("--version / import typer", cli["version"] / cli["typer"], 1.3),
        ("check / yamllint", cli["check"] / cli["yamllint"], 1.0),
    ]
    for n, b in batch.items():
        ratios += [(f"N={n:,} -j 1 CPU / parse floor CPU", b["j1"]["cpu"] / b["parse"]["cpu"], 2.0),
                   (f"N={n:,} -j 2 wall / parse floor", b["j2"]["total"] / b["parse"]["total"], 1.3)]
    ratios += [
        (f"CPU per case N=2,900 / N=290, over the parse floor's (brocheck {per[2900] * 1000:.2f} / "
         f"{per[290] * 1000:.2f} ms = {growth:.2f}; floor {floor_growth:.2f})", growth / floor_growth, 1.1),
        ("peak memory N=2,900 -j 1 (MB)", b2900["j1"]["maxrss"] / MB, 250.0),
        ("peak memory N=2,900 / N=290, -j 1", b2900["j1"]["maxrss"] / b290["j1"]["maxrss"], 1.2),
    ]
    result_rows = [[label, f"{value:.2f}", f"≤ {target:g}", "PASS" if value <= target else "FAIL"]
                   for label, value, target in ratios]
    result_rows.append(["output -j 2 byte-identical to -j 1", "yes" if same else "no", "yes",
                        "PASS" if same else "FAIL"])
    print()
    for line in table(["ratio", "value", "target", "result"], result_rows, {1, 2}):
        print(line)
    passed = sum(r[3] == "PASS" for r in result_rows)
    print()
    print(f"{passed}/{len(result_rows)} targets met")
    if args.readme:
        print()
        print("README (Prestanda / Performance):")
        print()
        for line in table(["measurement", "median"], [list(r) for r in rows], {1}):
            print(line)
        print()
        for line in table(["ratio", "measured", "target", "result"], result_rows, {1, 2}):
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
