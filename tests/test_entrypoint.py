"""The real console entry point in a subprocess: pipes, encodings and the built wheel."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from hzcity.catalog.model import Catalog

ROOT = Path(__file__).resolve().parents[1]
FACTS = ROOT / "facts"


def _run(*args: str, env: dict[str, str] | None = None, **kw) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "COLUMNS": "100", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "hzcity", *args], capture_output=True, text=True, env=full_env, **kw
    )


def test_python_m_prints_json_that_parses():
    result = _run("facts", "education", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)[0]["topic"] == "education"


def test_pipe_into_head_ends_quietly():
    shell = f"{sys.executable} -m hzcity facts | head -n 1"
    result = subprocess.run(shell, shell=True, capture_output=True, text=True)
    assert result.stdout.startswith("id\ttopic\t")
    assert result.stderr == ""


def test_ascii_only_stdout_does_not_crash():
    result = _run("facts", "concert", "-f", "json", env={"PYTHONIOENCODING": "ascii"})
    assert result.returncode == 0, result.stderr
    assert "\\u54c8" in result.stdout  # 哈, escaped but lossless
    assert json.loads(result.stdout)[0]["id"] == "concert.title"


def _pip_env() -> dict[str, str]:
    """pip with no rustc on PATH: for its user agent, pip runs `rustc --version`, and
    rustup's proxy then writes ~/.rustup/settings.toml."""
    path = os.pathsep.join(
        d for d in os.environ.get("PATH", "").split(os.pathsep) if not Path(d, "rustc").exists()
    )
    return {**os.environ, "PATH": path}


@pytest.mark.slow
def test_wheel_ships_exactly_the_yaml_and_the_page_and_finds_every_topic(tmp_path: Path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
        env=_pip_env(),
    )
    wheel = next(tmp_path.glob("hzcity-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    shipped = {n.removeprefix("hzcity/facts/") for n in names if n.startswith("hzcity/facts/")}
    data = [p for p in FACTS.rglob("*") if p.is_file() and p.suffix in (".yaml", ".txt")]
    assert shipped == {p.relative_to(FACTS).as_posix() for p in data}
    assert not [n for n in names if "__pycache__" in n or n.startswith("facts/")]

    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
        env=_pip_env(),
    )
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import hzcity.cli as c; "
        "assert c.__file__.startswith(sys.argv[1]), c.__file__; "
        "sys.argv = ['hzcity', 'topics', '-f', 'json']; c.main()"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(target)], capture_output=True, text=True, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert [t["topic"] for t in json.loads(result.stdout)] == Catalog().names()


def test_core_imports_neither_cli_framework_nor_yaml():
    """The core is a library: no typer or rich, and no PyYAML until a file must be parsed."""
    code = (
        "import sys, hzcity.catalog.model, hzcity.policy.dated, hzcity.calculators.premium, "
        "hzcity.calculators.allowance, hzcity.catalog.validate, hzcity.output.render; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'typer', 'rich', 'yaml', 'click'}))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "[]", result.stderr


def test_a_payroll_into_head_stops_quietly_with_the_sigpipe_status(tmp_path: Path):
    """The reader left: no traceback, no 'Exception ignored', exit 141 as SIGPIPE would."""
    payroll = tmp_path / "p.csv"
    payroll.write_text("salary\n" + "6000\n" * 200_000, encoding="utf-8")
    shell = (
        f"set -o pipefail; {sys.executable} -m hzcity premium --salaries {payroll} "
        "--industry-class 4 --date 2024-01-01 | head -n 1"
    )
    result = subprocess.run(["bash", "-c", shell], capture_output=True, text=True)
    assert result.stdout.startswith("salary,contribution_base")
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr
    assert "rows:" not in result.stderr  # it stopped: no totals of a run that did not finish
    assert result.returncode == 141


def test_the_payroll_file_is_closed(tmp_path: Path):
    """Under -X dev an unclosed file is a ResourceWarning on stderr."""
    payroll = tmp_path / "p.csv"
    payroll.write_text("salary\n6000\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-X", "dev", "-m", "hzcity", "premium", "--salaries", str(payroll),
         "--industry-class", "4", "--date", "2024-01-01"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "ResourceWarning" not in result.stderr


def test_the_console_entry_keeps_exit_codes_and_flushes_everything(tmp_path: Path):
    """run() skips the interpreter's teardown: what was written must still all arrive."""
    wrong = _run("facts", "educaton")
    assert wrong.returncode == 1 and wrong.stderr.count("\n") == 1
    usage = _run("premium", "--salary")
    assert usage.returncode == 2 and "requires an argument" in usage.stderr
    payroll = tmp_path / "p.csv"
    payroll.write_text("salary\n" + "6000\n" * 50_000, encoding="utf-8")
    big = _run("premium", "--salaries", str(payroll), "--industry-class", "4",
               "--date", "2024-01-01", env={"HZCITY_ENGINE": "python"})  # fmt: skip
    assert big.returncode == 0 and big.stdout.count("\n") == 50_001
    assert big.stdout.endswith(",87.00\n") and "rows: 50000," in big.stderr


def test_a_full_disk_is_one_line_and_status_1():
    shell = f"{sys.executable} -m hzcity topics > /dev/full"
    result = subprocess.run(["bash", "-c", shell], capture_output=True, text=True)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip() == "hzcity: error: cannot write: No space left on device"


def _buffering(unbuffered: str) -> dict[str, str]:
    """The environment with PYTHONUNBUFFERED set to ``unbuffered``, or unset."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    return env | ({"PYTHONUNBUFFERED": unbuffered} if unbuffered else {})


def test_one_large_write_into_a_reader_that_left_exits_141_buffered_or_not():
    """`page --format html` is one 130 KB write; under PYTHONUNBUFFERED the kernel's short
    count for it was ignored, so the run 'succeeded' with most of the page lost."""
    for unbuffered in ("", "1"):
        env = _buffering(unbuffered)
        shell = f"set -o pipefail; {sys.executable} -m hzcity page --format html | head -c1"
        result = subprocess.run(["bash", "-c", shell], capture_output=True, text=True, env=env)
        assert result.stdout == "<"
        assert result.returncode == 141, (unbuffered, result.stderr)
        assert result.stderr == ""


def test_a_reader_gone_before_the_first_write_is_141_for_help_version_and_commands():
    """Help and --version print while the arguments are parsed, outside any command:
    Typer exited 1 there."""
    for unbuffered in ("", "1"):
        env = _buffering(unbuffered)
        for args in (["facts", "--help"], ["--help"], ["--version"], ["topics"]):
            read, write = os.pipe()
            os.close(read)
            result = subprocess.run([sys.executable, "-m", "hzcity", *args], stdout=write,
                                    stderr=subprocess.PIPE, text=True, env=env)  # fmt: skip
            os.close(write)
            assert (result.returncode, result.stderr) == (141, ""), (args, unbuffered)


PAYROLL_RUN = ("premium", "--industry-class", "4", "--date", "2024-01-01")


def _closed(fd: int):
    """A preexec_fn closing ``fd`` in the child, as the shell's <&- or 2>&- does
    (stdin=DEVNULL is an open stream, not a closed one)."""
    return lambda: os.close(fd)


@pytest.mark.parametrize("sheet", [[], ["--sheet", "all"]])
def test_a_closed_stdin_is_refused_in_one_line(sheet):
    """`hzcity premium --salaries - <&-` was a traceback, and with --sheet all still was."""
    result = subprocess.run([sys.executable, "-m", "hzcity", *PAYROLL_RUN, "--salaries", "-",
                             *sheet], capture_output=True, text=True,
                            preexec_fn=_closed(0))  # fmt: skip
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "hzcity: error: <stdin>: cannot read: Bad file descriptor\n"


def _payroll(tmp_path: Path) -> Path:
    payroll = tmp_path / "p.csv"
    payroll.write_text("姓名,缴费基数\n张三,6000\n李四,7000\n", encoding="utf-8")
    return payroll


def _totals(answer: Path) -> list[str]:
    """The total column of each employee row of a CSV answer."""
    return [
        line.rsplit(",", 1)[1] for line in answer.read_text(encoding="utf-8-sig").splitlines()[1:]
    ]


def test_a_closed_stderr_still_answers_and_writes_the_output(tmp_path: Path):
    """`2>&-` made every command exit 1 (a hidden AttributeError) and payroll runs write
    nothing: the notes go nowhere, the answer is whole."""
    single = subprocess.run([sys.executable, "-m", "hzcity", *PAYROLL_RUN, "--salary", "6000",
                             "--format", "json"], stdout=subprocess.PIPE, text=True,
                            preexec_fn=_closed(2))  # fmt: skip
    assert single.returncode == 0 and json.loads(single.stdout)["total"] == "87.00"
    answer = tmp_path / "answer.csv"
    run = subprocess.run([sys.executable, "-m", "hzcity", *PAYROLL_RUN, "--salaries",
                          str(_payroll(tmp_path)), "--output", str(answer)],
                         stdout=subprocess.PIPE, text=True, preexec_fn=_closed(2))  # fmt: skip
    assert run.returncode == 0
    assert _totals(answer) == ["87.00", "101.50"]


def test_a_note_stderr_cannot_take_is_dropped_and_the_answer_still_written(tmp_path: Path):
    """`2>/dev/full` aborted an --output run at its first note."""
    answer = tmp_path / "answer.csv"
    with open("/dev/full", "w") as full:
        run = subprocess.run([sys.executable, "-m", "hzcity", *PAYROLL_RUN, "--salaries",
                              str(_payroll(tmp_path)), "--output", str(answer)],
                             stdout=subprocess.PIPE, stderr=full, text=True)  # fmt: skip
    assert run.returncode == 0
    assert _totals(answer) == ["87.00", "101.50"]


def test_the_answer_on_a_stdout_that_fails_still_fails_with_stderr_closed(tmp_path: Path):
    """Notes are best effort, the answer is not: stdout on a full disk is status 1."""
    with open("/dev/full", "w") as full:
        run = subprocess.run([sys.executable, "-m", "hzcity", *PAYROLL_RUN, "--salaries",
                              str(_payroll(tmp_path))], stdout=full,
                             preexec_fn=_closed(2))  # fmt: skip
    assert run.returncode == 1


def test_a_fifo_with_no_writer_is_said_to_be_waited_on_at_a_terminal(tmp_path: Path):
    """`--salaries fifo.csv` with no writer stood still without a word: on a terminal it
    says it waits, then reads what a writer brings."""
    import pty
    import select

    fifo = tmp_path / "fifo.csv"
    os.mkfifo(fifo)
    master, terminal = pty.openpty()
    run = subprocess.Popen([sys.executable, "-m", "hzcity", *PAYROLL_RUN, "--salaries",
                            str(fifo), "--format", "json"], stdout=subprocess.PIPE,
                           stderr=terminal, env={**os.environ, "COLUMNS": "300"})  # fmt: skip
    os.close(terminal)
    try:
        said = b""
        while b"waiting" not in said:  # the note comes before the open that waits
            ready, _, _ = select.select([master], [], [], 60)
            assert ready, f"no note while waiting for a writer: {said!r}"
            said += os.read(master, 1024)
        assert f"hzcity: note: {fifo} is a named pipe: waiting for a program".encode() in said
        with open(fifo, "w", encoding="utf-8") as writer:  # the writer comes: the run reads
            writer.write("姓名,缴费基数\n张三,6000\n")
        out, _ = run.communicate(timeout=60)
    finally:
        run.kill()
        os.close(master)
    assert run.returncode == 0 and json.loads(out)[0]["total"] == "87.00"


def test_a_fifo_is_not_announced_off_a_terminal(tmp_path: Path):
    fifo = tmp_path / "fifo.csv"
    os.mkfifo(fifo)
    run = subprocess.Popen([sys.executable, "-m", "hzcity", *PAYROLL_RUN, "--salaries",
                            str(fifo)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True)  # fmt: skip
    with open(fifo, "w", encoding="utf-8") as writer:
        writer.write("姓名,缴费基数\n张三,6000\n")
    _, err = run.communicate(timeout=60)
    assert run.returncode == 0 and "waiting" not in err


@pytest.mark.parametrize("sheet", [[], ["--sheet", "all"]])
def test_a_stdin_that_fails_its_first_read_cannot_be_read_not_written(tmp_path: Path, sheet):
    """`--salaries - 0>file` (stdin open for writing: EBADF on the first read) was said to
    be 'cannot write', and with --sheet all still was."""
    sink = tmp_path / "sink"

    def write_only_stdin() -> None:
        os.dup2(os.open(sink, os.O_WRONLY | os.O_CREAT), 0)

    command = [sys.executable, "-m", "hzcity", *PAYROLL_RUN, "--salaries", "-", *sheet]
    result = subprocess.run(command, capture_output=True, text=True, preexec_fn=write_only_stdin)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "hzcity: error: <stdin>: cannot read: Bad file descriptor\n"


@pytest.mark.parametrize("sheet", [[], ["--sheet", "all"]])
def test_a_file_that_fails_its_first_read_cannot_be_read_not_written(sheet):
    """EIO on the first read (/proc/self/mem at offset 0) was said to be 'cannot write'."""
    command = [sys.executable, "-m", "hzcity", *PAYROLL_RUN, "--salaries", "/proc/self/mem",
               *sheet]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "hzcity: error: /proc/self/mem: cannot read: Input/output error\n"
