"""`python -m bench [NAME ...]`: run every `bench/bench_*.py` module and print its lines.

Each module exposes `run() -> list[str]`. Modules run in name order; one that fails prints its
error and the rest still run, so one broken benchmark never hides the others' figures. Names
given on the command line select modules by substring (`python -m bench core`).
"""

from __future__ import annotations

import importlib
import os
import platform
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent


def discover(selected: Sequence[str] = ()) -> list[str]:
    """The benchmark module names (`bench_core`, ...), sorted, filtered by substrings."""
    names = sorted(p.stem for p in HERE.glob("bench_*.py"))
    return [n for n in names if not selected or any(s in n for s in selected)]


def run_module(name: str) -> list[str]:
    """Import and run one benchmark module; an error becomes its output lines."""
    started = time.perf_counter()
    try:
        module = importlib.import_module(f"{HERE.name}.{name}")
        run: Callable[[], list[str]] = module.run
        lines = list(run())
    except Exception as err:  # report and carry on with the next module
        traceback.print_exc(file=sys.stderr)
        return [f"{name}: ERROR {type(err).__name__}: {err}"]
    took = time.perf_counter() - started
    return [*lines, f"({name} took {took:.1f} s)"]


def machine() -> str:
    """Where the figures come from: a busy machine slows every wall-clock figure."""
    load = "/".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    return (f"python {platform.python_version()} on {platform.machine()}, "
            f"{os.cpu_count()} CPUs, load average {load}")


def main(argv: Sequence[str] | None = None) -> int:
    names = discover(sys.argv[1:] if argv is None else argv)
    print(machine())
    if not names:
        print("no benchmarks found")
    for name in names:
        print(f"== {name}", flush=True)
        for line in run_module(name):
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
