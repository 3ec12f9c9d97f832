"""bench/RESULTS.md: the machine description and one rewritable section per benchmark."""

from __future__ import annotations

import datetime as dt
import os
import platform
import re
from pathlib import Path

from lib.model.files import write_atomic

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
OUT_DIR = Path(__file__).resolve().parent / "out"
HEADER = (
    "# Benchmark results\n\n"
    "Run by hand with `python -m bench scale|server|browser|export|present|draft|all`; each command rewrites its own\n"
    "section below. Figures are medians unless stated; every section names the machine and date it ran on.\n"
)


def machine() -> str:
    """One line naming the machine: cores, RAM, CPU model, Python and OS."""
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "unknown RAM"
    try:
        kib = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        ram = f"{kib / 1024 / 1024:.1f} GiB RAM"
    except (OSError, AttributeError):
        pass
    return f"nproc {os.cpu_count()}, {ram}, {model}, Python {platform.python_version()}, {platform.system()} {platform.release()}"


def stamp() -> str:
    """Date, machine and load average when the run started (other work on the machine skews timings)."""
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"_Run {dt.datetime.now().strftime('%Y-%m-%d %H:%M')} on: {machine()}; load average at start {load}._"


def wait_for_quiet(poll_s: float = 15.0) -> None:
    """Wait while another engineer's load test (bench/load_test.py) runs: it would skew every timing."""
    import subprocess
    import time

    announced = False
    while subprocess.run(["pgrep", "-f", "bench.load_test"], capture_output=True, check=False).returncode == 0:
        if not announced:
            print("bench: waiting for bench.load_test to finish before timing…", flush=True)
            announced = True
        time.sleep(poll_s)


def write_section(name: str, body: str) -> Path:
    """Replace (or append) the `name` section of RESULTS.md with `body`."""
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.is_file() else HEADER
    start, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    block = f"{start}\n{body.rstrip()}\n{end}"
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
    text = pattern.sub(lambda _: block, text) if pattern.search(text) else text.rstrip() + "\n\n" + block + "\n"
    write_atomic(RESULTS, text)
    return RESULTS


def table(headers: list[str], rows: list[list[object]]) -> str:
    """A Markdown table."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def ms(seconds: float | None) -> str:
    """Seconds as milliseconds for a table cell."""
    return "—" if seconds is None else f"{seconds * 1000:.0f} ms" if seconds < 10 else f"{seconds:.1f} s"
