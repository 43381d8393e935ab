"""Start-up and payroll benchmarks for hzcity; prints a Markdown report.

Run from a virtual environment where hzcity is installed:

    python benchmarks/bench.py             # everything (a few minutes)
    python benchmarks/bench.py --quick     # fewer runs, a 10^5-row payroll

Medians of repeated subprocess runs (wall time, and CPU time: user + system, the
figure to compare on a shared machine), against bare `python -c pass`
on the same interpreter, and the payroll against awk computing the same three
premiums. Nothing here is a test: it measures, it does not judge.
"""

from __future__ import annotations

import argparse
import csv
import importlib.metadata
import importlib.util
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

HZ = str(Path(sys.executable).with_name("hzcity"))
PREMIUM = ["premium", "--industry-class", "4", "--date", "2024-01-01"]
AWK = (  # the three premiums at class 4, the way a shell script would do it
    'BEGIN{FS=","; OFS=","} NR>1{printf "%s,%.2f,%.2f,%.2f\\n", $1, $2*0.005, $2*0.005, $2*0.0045}'
)
# the same with one rate for every row of a payroll with a month column (salary third)
MONTH_AWK = AWK.replace("$2", "$3")
# Rates for 2025 in a user parameter file, for the month benchmark only: placeholders, not a
# real notice (the page's reduced rates end on 2024-12-31).
USER_2025 = """# Benchmark data: the figures and the reference are placeholders, not a real notice.
unemployment-employer-rate:
  values:
    - {start: "2025-01-01", end: "2025-12-31", value: "0.6", reference: {title: EXAMPLE}}
unemployment-individual-rate:
  values:
    - {start: "2025-01-01", end: "2025-12-31", value: "0.4", reference: {title: EXAMPLE}}
work-injury-cut:
  values:
    - {start: "2025-01-01", end: "2025-12-31", value: "20", reference: {title: EXAMPLE}}
"""
# The exact rates of each window of the month benchmark at class 4 (0.9% current):
# employer, individual, work injury reduced (0.45% = 0.9% x 50%; 0.72% = 0.9% x 80%).
MONTH_RATES = {"2024": ("0.005", "0.005", "0.0045"), "2025": ("0.006", "0.004", "0.0072")}


MINIMAL_TYPER = """import json, typer
app = typer.Typer()
@app.command()
def premium(salary: str = typer.Option(...)):
    print(json.dumps({"salary": salary}))
app()
"""


def run_once(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one run, in seconds."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    if proc.returncode:
        raise subprocess.CalledProcessError(proc.returncode, cmd)
    return wall, usage.ru_utime + usage.ru_stime


def interleaved(commands: dict[str, list[str]], runs: int, env: dict[str, str]) -> dict:
    """Median wall and CPU seconds of each command, run once per round, round after round,
    so that a busy moment of a shared machine slows every command alike."""
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, cmd in commands.items():
            times[name].append(run_once(cmd, env))
    return {
        name: tuple(statistics.median(t[i] for t in runs_) for i in (0, 1))
        for name, runs_ in times.items()
    }


def compile_bytecode() -> None:
    """Write hzcity's .pyc files, as pip does when it installs a wheel: an editable install
    under PYTHONDONTWRITEBYTECODE would otherwise compile every module on every run."""
    package = Path(importlib.util.find_spec("hzcity").origin).parent
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(package)], check=True)


def peak_rss_mb(cmd: list[str], stdout_path: str) -> float:
    """Peak resident memory of one run, read by a fresh parent so nothing else counts."""
    probe = (
        "import resource, subprocess, sys\n"
        "with open(sys.argv[1], 'w') as out:\n"
        "    subprocess.run(sys.argv[2:], stdout=out, stderr=subprocess.DEVNULL, check=True)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    kb = subprocess.run([sys.executable, "-c", probe, stdout_path, *cmd], capture_output=True,
                        text=True, check=True).stdout  # fmt: skip
    return int(kb) / 1024


def make_payroll(path: Path, rows: int, monthly: Path | None = None) -> None:
    """Salaries of 1,000-50,000 yuan: half whole yuan (half-fen cases are common), half with fen.
    ``monthly``: the same rows with a 所属期 column too, 24 months (2024-01 to 2025-12, two
    rate windows) in random order, as a payroll sorted by employee holds them."""
    rng = random.Random(2023)
    months = [f"{y}-{m:02d}" for y in (2024, 2025) for m in range(1, 13)]
    with path.open("w", encoding="utf-8") as out, (monthly or Path(os.devnull)).open("w") as both:
        out.write("id,salary\n")
        both.write("id,所属期,salary\n")
        for i in range(rows):
            yuan = rng.randint(1000, 50000)
            salary = f"{yuan}" if rng.random() < 0.5 else f"{yuan}.{rng.randint(0, 99):02d}"
            out.write(f"{i},{salary}\n")
            if monthly is not None:
                both.write(f"{i},{rng.choice(months)},{salary}\n")


def awk_differences(payroll: Path, awk_out: Path) -> int:
    """Rows where awk's printf differs from exact half-up rounding on any of the three premiums."""
    fen = Decimal("0.01")
    wrong = 0
    with payroll.open() as source, awk_out.open() as theirs:
        next(source)
        for (_, salary), line in zip(csv.reader(source), theirs, strict=True):
            base = Decimal(salary)
            exact = [
                (base * r).quantize(fen, ROUND_HALF_UP)
                for r in (Decimal("0.005"), Decimal("0.005"), Decimal("0.0045"))
            ]
            got = [Decimal(v) for v in line.rstrip("\n").split(",")[1:]]
            wrong += got != exact
    return wrong


def hz_differences(payroll: Path, hz_out: Path) -> int:
    """The same check on hzcity's own output (expected: 0)."""
    fen = Decimal("0.01")
    wrong = 0
    with payroll.open() as source, hz_out.open() as ours:
        next(source)
        reader = csv.DictReader(ours)
        for (_, salary), row in zip(csv.reader(source), reader, strict=True):
            base = Decimal(salary)
            exact = (base * Decimal("0.005")).quantize(fen, ROUND_HALF_UP)
            exact_wi = (base * Decimal("0.0045")).quantize(fen, ROUND_HALF_UP)
            wrong += (row["unemployment_employer"], row["work_injury_employer"]) != (
                str(exact),
                str(exact_wi),
            )
    return wrong


def versions() -> str:
    deps = ", ".join(f"{n} {importlib.metadata.version(n)}" for n in ("typer", "rich", "pyyaml"))
    try:
        from yaml import CSafeLoader  # noqa: F401  (only probing that the C loader exists)

        c_loader = "yes"
    except ImportError:
        c_loader = "no"
    cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                if ln.startswith("model name")), platform.processor())  # fmt: skip
    return (
        f"Python {platform.python_version()} ({sys.executable}); {deps}; libyaml C loader: "
        f"{c_loader}; {platform.system()} {platform.machine()}, {os.cpu_count()} cores, {cpu}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=31, help="rounds per start-up median")
    parser.add_argument("--payroll-runs", type=int, default=10, help="runs per payroll median")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--quick", action="store_true", help="5 runs, 10^5 rows")
    parser.add_argument("--month-only", action="store_true", help="only (6): priced by month")
    args = parser.parse_args()
    if args.quick:
        args.runs, args.payroll_runs, args.rows = 5, 3, 100_000
    env = {**os.environ, "COLUMNS": "120"}
    load = Path("/proc/loadavg").read_text().split()[:3]
    compile_bytecode()
    subprocess.run([HZ, "topics"], stdout=subprocess.DEVNULL, check=True)  # warm the cache
    if args.month_only:
        print(f"{versions()}\n\nLoad average at the start: {' / '.join(load)}.")
        month_report(args, env)
        return
    with tempfile.TemporaryDirectory() as tmp:
        minimal = Path(tmp) / "minimal_typer.py"
        minimal.write_text(MINIMAL_TYPER, encoding="utf-8")
        # the same app ending as hzcity's console script does, without the interpreter's
        # teardown: the floor of what a Typer program costs before its own work
        no_teardown = Path(tmp) / "minimal_typer_no_teardown.py"
        no_teardown.write_text(MINIMAL_TYPER.replace(
            "app()", "import os, sys\ntry:\n    app()\nexcept SystemExit:\n    pass\n"
            "sys.stdout.flush()\nos._exit(0)"), encoding="utf-8")  # fmt: skip
        rows = {
            "bare `python -c pass`": [sys.executable, "-c", "pass"],
            "floor: `python -c 'import typer'`": [sys.executable, "-c", "import typer"],
            "floor: a minimal Typer app printing JSON": [
                sys.executable, str(minimal), "--salary", "6000"
            ],
            "floor: the same app without the interpreter's teardown": [
                sys.executable, str(no_teardown), "--salary", "6000"
            ],
            "(1) `hzcity premium --salary 6000 --format json`": [
                HZ, *PREMIUM, "--salary", "6000", "--format", "json"
            ],
            "(2) `hzcity facts education --format table` (COLUMNS=120)": [
                HZ, "facts", "education", "--format", "table"
            ],
        }  # fmt: skip
        medians = interleaved(rows, args.runs, env)
    bare_wall, bare_cpu = medians["bare `python -c pass`"]
    print(f"## Benchmarks\n\n{versions()}\n")
    print(f"Load average at the start: {' / '.join(load)} (1, 5, 15 minutes).\n")
    print(f"Medians of {args.runs} interleaved runs.\n")
    floor_wall = medians["floor: a minimal Typer app printing JSON"][0]
    bare_floor = medians["floor: the same app without the interpreter's teardown"][0]
    print("| measure | wall | ratio | CPU | ratio | vs Typer app | vs app w/o teardown | target |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, (wall, cpu) in medians.items():
        ours = name[0] == "("
        versus = f"{wall / floor_wall:.2f}x | {wall / bare_floor:.2f}x" if ours else " | "
        print(
            f"| {name} | {wall * 1000:.1f} ms | {wall / bare_wall:.1f}x | {cpu * 1000:.1f} ms "
            f"| {cpu / bare_cpu:.1f}x | {versus} | {'<= 1.15x' if ours else ''} |"
        )
    payroll_report(args, env)
    month_report(args, env)
    csv_output_report(100_000, args.payroll_runs, env)
    workbook_report(100_000, max(args.payroll_runs // 3, 1), env)


def payroll_report(args: argparse.Namespace, env: dict[str, str]) -> None:
    """(3) the fast engine against awk and the reference engine, exactness and memory."""
    if not shutil.which("awk"):
        print("\nawk not found: payroll comparison skipped")
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        payroll, hz_out, awk_out = folder / "payroll.csv", folder / "hz.csv", folder / "awk.csv"
        make_payroll(payroll, args.rows)
        hz_cmd = [HZ, *PREMIUM, "--salaries", str(payroll)]
        awk_cmd = ["awk", AWK, str(payroll)]
        reference_env = {**env, "HZCITY_ENGINE": "python"}
        medians = interleaved({"hz": hz_cmd, "awk": awk_cmd}, args.payroll_runs, env)
        reference = interleaved({"ref": hz_cmd}, max(args.payroll_runs // 3, 1), reference_env)
        ours, theirs, slow = medians["hz"][0], medians["awk"][0], reference["ref"][0]
        ours_cpu, theirs_cpu, slow_cpu = medians["hz"][1], medians["awk"][1], reference["ref"][1]
        peak_ours = peak_rss_mb(hz_cmd, str(hz_out))
        subprocess.run(awk_cmd, stdout=awk_out.open("w"), check=True)
        wrong_awk, wrong_ours = awk_differences(payroll, awk_out), hz_differences(payroll, hz_out)
        ref_out = folder / "ref.csv"
        with ref_out.open("w") as out:
            subprocess.run(hz_cmd, stdout=out, stderr=subprocess.DEVNULL, env=reference_env)
        same = ref_out.read_bytes() == hz_out.read_bytes()
        print(f"\n| payroll, {args.rows:,} rows | wall | ratio | CPU | target |")
        print("|---|---:|---:|---:|---:|")
        print(f"| (3) hzcity, fast engine (pyarrow) | {ours:.2f} s | {ours / theirs:.2f}x awk "
              f"| {ours_cpu:.2f} s | <= 1.5x |")  # fmt: skip
        print(f"| hzcity, reference engine (HZCITY_ENGINE=python) | {slow:.2f} s "
              f"| {slow / theirs:.2f}x awk | {slow_cpu:.2f} s | |")  # fmt: skip
        print(f"| awk printf %.2f | {theirs:.2f} s | 1.0x | {theirs_cpu:.2f} s | |")
        print(f"| rows off by a fen: hzcity / awk | {wrong_ours:,} / {wrong_awk:,} | | | 0 |")
        print(
            f"| fast and reference outputs byte-identical | {'yes' if same else 'NO'} | | | yes |"
        )
        small = folder / "small.csv"
        make_payroll(small, max(args.rows // 10, 1))
        peak_small = peak_rss_mb([HZ, *PREMIUM, "--salaries", str(small)], str(folder / "s.out"))
        print(
            f"| peak memory, {max(args.rows // 10, 1):,} / {args.rows:,} rows | "
            f"{peak_small:.1f} / {peak_ours:.1f} MB | {peak_ours / peak_small:.2f}x | | <= 1.25x |"
        )


def month_differences(payroll: Path, hz_out: Path) -> int:
    """Rows of a payroll priced by month where hzcity's three premiums differ from exact
    half-up rounding at that month's rates (expected: 0)."""
    fen = Decimal("0.01")
    wrong = 0
    with payroll.open(encoding="utf-8") as source, hz_out.open(encoding="utf-8") as ours:
        next(source)
        for (_, month, salary), row in zip(csv.reader(source), csv.DictReader(ours), strict=True):
            base = Decimal(salary)
            rates = MONTH_RATES[month[:4]]
            exact = [str((base * Decimal(r)).quantize(fen, ROUND_HALF_UP)) for r in rates]
            got = [row[k] for k in ("unemployment_employer", "unemployment_individual",
                                    "work_injury_employer")]  # fmt: skip
            wrong += got != exact or row["date"] != f"{month}-01"
    return wrong


def month_report(args: argparse.Namespace, env: dict[str, str]) -> None:
    """(6) A payroll with a 所属期 column over 24 months and two rate windows (the page's
    2024, a user file's 2025) through the fast engine, against awk computing one rate for
    every row; exactness at each month's rates, and memory against the same rows without
    the month column (one day's rates)."""
    if not shutil.which("awk"):
        print("\nawk not found: month comparison skipped")
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        plain, monthly = folder / "plain.csv", folder / "monthly.csv"
        make_payroll(plain, args.rows, monthly)
        (folder / "facts" / "parameters").mkdir(parents=True)
        (folder / "facts" / "parameters" / "rates-2025.yaml").write_text(USER_2025, "utf-8")
        hz_cmd = [HZ, "premium", "--industry-class", "4", "--salaries", str(monthly),
                  "--facts-dir", str(folder / "facts")]  # fmt: skip
        awk_cmd = ["awk", MONTH_AWK, str(monthly)]
        medians = interleaved({"hz": hz_cmd, "awk": awk_cmd}, args.payroll_runs, env)
        hz_out = folder / "hz.csv"
        peak_month = peak_rss_mb(hz_cmd, str(hz_out))
        peak_plain = peak_rss_mb([HZ, *PREMIUM, "--salaries", str(plain)], str(folder / "p.out"))
        wrong = month_differences(monthly, hz_out)
        ref_out = folder / "ref.csv"
        with ref_out.open("w") as out:
            subprocess.run(hz_cmd, stdout=out, stderr=subprocess.DEVNULL, check=True,
                           env={**env, "HZCITY_ENGINE": "python"})  # fmt: skip
        same = ref_out.read_bytes() == hz_out.read_bytes()
    (ours, ours_cpu), (theirs, theirs_cpu) = medians["hz"], medians["awk"]
    print(f"\n| payroll by month, {args.rows:,} rows, 24 months, 2 windows | wall | ratio | CPU "
          "| target |\n|---|---:|---:|---:|---:|")  # fmt: skip
    print(f"| (6) hzcity, fast engine, each row at its month's rates | {ours:.2f} s "
          f"| {ours / theirs:.2f}x awk | {ours_cpu:.2f} s | <= 1.0x |")  # fmt: skip
    print(f"| awk printf %.2f, one rate for every row | {theirs:.2f} s | 1.0x "
          f"| {theirs_cpu:.2f} s | |")  # fmt: skip
    print(f"| rows off by a fen (or a day) at their month's rates | {wrong:,} | | | 0 |")
    print(f"| fast and reference outputs byte-identical | {'yes' if same else 'NO'} | | | yes |")
    print(f"| peak memory, with / without the month column | {peak_month:.1f} / "
          f"{peak_plain:.1f} MB | {peak_month / peak_plain:.2f}x | | <= 1.25x |")  # fmt: skip


def make_workbook(path: Path, rows: int) -> None:
    """A payroll sheet as a clerk keeps it: a title row, IDs as text, dates, two amounts."""
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("工资表")
    sheet.append(["2024年1月工资表"])
    sheet.append(["序号", "姓名", "身份证号", "部门", "入职日期", "应发工资", "社保缴费基数"])
    rng = random.Random(2023)
    for i in range(rows):
        base = rng.randint(100_000, 5_000_000) / 100
        sheet.append([i + 1, f"员工{i}", f"3301021980{i:08d}", "办公室",
                      date(2010, 1, 1) + timedelta(days=i % 4000), base + 500, base])  # fmt: skip
    book.save(path)


def soffice(folder: Path, *args: str) -> list[str]:
    """LibreOffice headless with a profile and HOME of its own under ``folder``."""
    profile = (folder / "lo-profile").as_uri()
    return ["env", f"HOME={folder}", "soffice", f"-env:UserInstallation={profile}",
            "--headless", *args]  # fmt: skip


def workbook_report(rows: int, runs: int, env: dict[str, str]) -> None:
    """(4) A LibreOffice-written .xlsx payroll to an .xlsx answer, against LibreOffice
    converting the same workbook to CSV, and the CPU time of its read, compute and write
    stages, each measured on its own (``stages``)."""
    if not shutil.which("soffice"):
        print("\nsoffice not found: workbook comparison skipped")
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        made, lo_dir = folder / "book.xlsx", folder / "lo"
        make_workbook(made, rows)
        lo_dir.mkdir()  # LibreOffice writes the workbook anew, as a clerk's Calc would
        subprocess.run(soffice(folder, "--convert-to", "xlsx", "--outdir", str(lo_dir), str(made)),
                       check=True, capture_output=True)  # fmt: skip
        source, target = lo_dir / "book.xlsx", folder / "answer.xlsx"
        commands = {
            "hz": [HZ, *PREMIUM, "--salaries", str(source), "--output", str(target)],
            "lo": soffice(folder, "--convert-to", "csv", "--outdir", str(folder / "csv"),
                          str(source)),
        }  # fmt: skip
        medians = interleaved(commands, runs, env)
        peak = peak_rss_mb(commands["hz"], str(folder / "hz.out"))
        read, computed, written = stages(source, folder / "staged.xlsx", runs=max(runs, 3))
    ours, theirs = medians["hz"][0], medians["lo"][0]
    print(f"\n| LibreOffice .xlsx payroll of {rows:,} rows | seconds | ratio | target |")
    print("|---|---:|---:|---:|")
    print(f"| (4) `hzcity premium --salaries book.xlsx --output answer.xlsx` | {ours:.2f} "
          f"| {ours / theirs:.2f}x LibreOffice | <= 0.5x |")  # fmt: skip
    print(f"| `soffice --headless --convert-to csv book.xlsx` | {theirs:.2f} | 1.0x | |")
    print("| stages, each timed alone in one process (CPU seconds, best of "
          f"{max(runs, 3)}): | | | |")  # fmt: skip
    print(f"| read (calamine and hzcity's cells) | {read:.2f} | | |")
    print(f"| compute (reference engine) | {computed:.2f} | | |")
    print(f"| write (.xlsx writer) | {written:.2f} | | |")
    print(f"| peak memory of the hzcity run | {peak:.0f} MB | | < 250 MB |")


def stages(source: Path, target: Path, runs: int) -> tuple[float, float, float]:
    """CPU seconds of reading, computing and writing a payroll, each measured on its own in
    this process (best of ``runs``): the rows are read into a list, the list computed into
    another, that one written; no stage's time is the difference of two noisy runs."""
    from hzcity.calculators import premium as pm
    from hzcity.payroll import engine, reference
    from hzcity.payroll.source import open_payroll
    from hzcity.payroll.writers import open_output

    day = date(2024, 1, 1)
    rates = pm.rates_at(day, pm.benchmark_rate(4, day))
    best = [float("inf")] * 3
    for _ in range(runs):
        with open_payroll(str(source)) as payroll:
            start = time.process_time()
            rows = list(payroll.rows)
            read = time.process_time() - start
            payroll.rows = iter(rows)
            totals = reference.PayrollTotals()
            start = time.process_time()
            answers = list(reference.answers(payroll, rates, None, None, False, totals))
            computed = time.process_time() - start
            header = payroll.header
            start = time.process_time()
            with open_output(str(target), header, reference.output_columns(header),
                             source=payroll.name, salary=payroll.column,
                             hidden=payroll.hidden_columns) as out:  # fmt: skip
                for row, values in answers:
                    out.write_row(row.cells, values, row.values)
                out.close(engine.totals_row(totals), "Total")  # the rates sheet: a few cells
            written = time.process_time() - start
        best = [min(b, t) for b, t in zip(best, (read, computed, written), strict=True)]
    return best[0], best[1], best[2]


def csv_output_report(rows: int, runs: int, env: dict[str, str]) -> None:
    """(5) A CSV payroll answered into a .csv file for Excel against the same run to stdout."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        payroll = folder / "payroll.csv"
        make_payroll(payroll, rows)
        commands = {
            "stdout": [HZ, *PREMIUM, "--salaries", str(payroll)],
            "file": [HZ, *PREMIUM, "--salaries", str(payroll), "--output",
                     str(folder / "answer.csv")],
        }  # fmt: skip
        medians = interleaved(commands, runs, env)
    to_stdout, to_file = medians["stdout"][0], medians["file"][0]
    print(f"\n| CSV payroll of {rows:,} rows | wall | ratio | target |\n|---|---:|---:|---:|")
    print(f"| (5) `--output answer.csv` (for Excel) | {to_file:.2f} s "
          f"| {to_file / to_stdout:.2f}x stdout | <= 1.5x |")  # fmt: skip
    print(f"| the same run to stdout | {to_stdout:.2f} s | 1.0x | |")


if __name__ == "__main__":
    main()
