"""Hostile text payrolls through the real entry point: each is one line on stderr with its
exit code, or read right; never a traceback, a hang or a cell lost (issue 18)."""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

RUN = ("premium", "--industry-class", "4", "--date", "2024-01-01")
PAYROLL = "姓名,工资\n张三,6000\n李四,7000.5\n"


def _deep() -> bytes:
    return (
        b'{"name":"a","salary":1}\n{"name":' + b"[" * 100_000 + b"]" * 100_000 + b',"salary":1}\n'
    )


# (id, file bytes, extra arguments, exit code, what the one error line says)
HOSTILE = [
    *[(f"--encoding {name}", PAYROLL.encode(), ["--encoding", name], 2,
       f"{name!r} is not an encoding text files are saved in")
      for name in ("idna", "punycode", "undefined", "utf-7", "cp500", "unicode_escape")],
    ("lone surrogate escape", b'{"name":"a","salary":1}\n{"name":"\\ud800","salary":1}\n', [], 2,
     ":2: a lone surrogate escape \\ud800 is no character"),
    ("lone surrogate in a key", b'{"\\udfff":"a","salary":1}\n', [], 2, ":1: a lone surrogate"),
    ("100k nested arrays", _deep(), [], 2, ":2: JSON nested too deeply"),
    ("duplicate salary key", b'{"name":"a","salary":1}\n{"name":"b","salary":1,"salary":9}\n',
     [], 2, ":2: the key 'salary' appears twice"),
    ("duplicate key on the first line", b'{"salary":1,"salary":9}\n', [], 2,
     ":1: the key 'salary' appears twice"),
    ("a line of 2 MiB", b"salary\n" + b"9" * (2 << 20) + b"\n", [], 2,
     ":2: a line longer than 1,048,576 bytes"),
    ("a CR-only line of 2 MiB", b"salary\r" + b"9" * (2 << 20), [], 2, ":2: a line longer"),
    ("GBK line, then UTF-8", "姓名,工资\n".encode("gbk") + "张三,6000\n".encode(), [], 2,
     ":2: UTF-8 Chinese text in a file otherwise in gb18030: mixed encodings"),
    ("UTF-8 line, then GBK", "姓名,工资\n".encode() + "张三,6000\n".encode("gbk"), [], 2,
     ":1: UTF-8 Chinese text in a file otherwise in gb18030: mixed encodings"),
    ("1,000 NUL bytes", bytes(1000), [], 2, ":1: which column holds the salary?"),
    ("a lone line", b"amount\n", [], 2, ":1: which column holds the salary?"),
    ("a lone header", b"pay\n", [], 2, "no employee row under the header"),
    ("a lone header of digits", b"6000\n7000\n", [], 2, "which column holds the salary?"),
    ("header row 0", PAYROLL.encode(), ["--header-row", "0"], 2, "'--header-row'"),
    ("header row -3", PAYROLL.encode(), ["--header-row", "-3"], 2, "'--header-row'"),
]  # fmt: skip


def _one_error(result, code: int, says: str) -> None:
    errors = [line for line in result.err.splitlines() if not line.startswith("hzcity: note:")]
    assert "Traceback" not in result.err and result.code == code
    assert says in "\n".join(errors) and len([e for e in errors if "error" in e.lower()]) == 1


@pytest.mark.parametrize(
    ("content", "extra", "code", "says"), [h[1:] for h in HOSTILE], ids=[h[0] for h in HOSTILE]
)
def test_a_hostile_payroll_is_one_line_and_its_exit_code(hz, tmp_path, content, extra, code,
                                                         says):  # fmt: skip
    path = tmp_path / "pay.csv"
    path.write_bytes(content)
    result = hz(*RUN, "--salaries", str(path), *extra)
    _one_error(result, code, says)
    assert result.out.count("\n") <= 2  # the header and a first good row at most


def test_dev_zero_is_refused_at_its_first_line(hz):
    _one_error(hz(*RUN, "--salaries", "/dev/zero"), 2, "/dev/zero:1: a line longer than")


def test_a_workbook_on_stdin_is_bounded(hz, monkeypatch):
    from hzcity.payroll import source

    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("x", os.urandom(4000))
    monkeypatch.setattr(source, "MAX_STDIN_WORKBOOK", 1000)
    with _pipe(data.getvalue()) as piped, open(piped, "rb") as pipe:  # stdin is no file
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(pipe))
        result = hz(*RUN, "--salaries", "-")
    _one_error(result, 2, "<stdin>: a workbook on standard input is held in memory")


def _json_rows(out: str) -> list[dict[str, str]]:
    return json.loads(out)


def test_blank_and_repeated_header_names_keep_every_cell(hz, tmp_path):
    path = tmp_path / "pay.csv"
    path.write_text("姓名,备注,社保缴费基数,备注,,备注_2\n张三,a,6000,b,c,d\n", encoding="utf-8")
    result = hz(*RUN, "--salaries", str(path), "--format", "json")
    assert result.code == 0
    (row,) = _json_rows(result.out)
    cells = {k: v for k, v in row.items() if v in "abcd"}
    assert cells == {"备注": "a", "备注_3": "b", "column_5": "c", "备注_2": "d"}
    assert "'备注' -> 备注_3, '' -> column_5" in result.err


@pytest.mark.parametrize("engine", ["python", "fast"])
def test_csv_tsv_and_xlsx_answers_keep_the_header_as_written(hz, tmp_path, monkeypatch, engine):
    import openpyxl

    monkeypatch.setenv("HZCITY_ENGINE", engine)
    header = "姓名,备注,社保缴费基数,备注,,备注_2"
    path = tmp_path / "pay.csv"
    path.write_text(header + "\n张三,a,6000,b,c,d\n", encoding="utf-8")
    result = hz(*RUN, "--salaries", str(path))
    assert result.code == 0 and result.out.startswith(header + ",")
    assert "->" not in result.err  # no key was renamed: CSV has no keys
    written = {}
    for suffix in (".csv", ".tsv", ".xlsx"):
        out = tmp_path / f"answer{suffix}"
        assert hz(*RUN, "--salaries", str(path), "--output", str(out)).code == 0
        written[suffix] = out
    first = written[".csv"].read_text(encoding="utf-8-sig").splitlines()[0]
    assert first.startswith(header + ",")
    assert written[".tsv"].read_text(encoding="utf-8").startswith(header.replace(",", "\t"))
    sheet = openpyxl.load_workbook(written[".xlsx"], read_only=True).worksheets[0]
    row = next(sheet.iter_rows(max_row=1, values_only=True))
    assert [c or "" for c in row[:6]] == header.split(",")


def _same_answer(hz, first: Path, second: Path) -> None:
    one, two = hz(*RUN, "--salaries", str(first)), hz(*RUN, "--salaries", str(second))
    assert one.code == two.code == 0 and one.out == two.out and "张三,6000" in one.out


def test_cr_only_line_ends_read_as_lines(hz, tmp_path):
    mac, unix = tmp_path / "mac.csv", tmp_path / "unix.csv"
    mac.write_bytes(PAYROLL.replace("\n", "\r").encode("gbk"))
    unix.write_bytes(PAYROLL.encode("gbk"))
    _same_answer(hz, mac, unix)


def test_a_semicolon_in_a_title_row_does_not_choose_the_delimiter(hz, tmp_path):
    titled, plain = tmp_path / "titled.csv", tmp_path / "plain.csv"
    titled.write_text("2024年5月;工资表\n" + PAYROLL, encoding="utf-8")
    plain.write_text(PAYROLL, encoding="utf-8")
    _same_answer(hz, titled, plain)


def _big_payroll() -> bytes:
    """More than a pipe holds (64 KiB), so that the reader has not read it all at once."""
    return ("姓名,工资\n" + "".join(f"张{n},{6000 + n}\n" for n in range(8000))).encode()


@contextlib.contextmanager
def _pipe(data: bytes) -> Iterator[str]:
    """A path to a pipe fed ``data``, as bash's <(cat file) gives one."""
    read, write = os.pipe()

    def feed() -> None:
        with contextlib.suppress(BrokenPipeError), os.fdopen(write, "wb") as stream:
            stream.write(data)

    thread = threading.Thread(target=feed)
    thread.start()
    try:
        yield f"/dev/fd/{read}"
    finally:
        os.close(read)
        thread.join()


def test_a_pipe_named_as_a_file_is_read_whole(hz, tmp_path):
    """`--salaries <(cat file)`: the fast engine leaves it to the reader, no row is lost."""
    path = tmp_path / "pay.csv"
    path.write_bytes(_big_payroll())
    expected = hz(*RUN, "--salaries", str(path))
    with _pipe(_big_payroll()) as piped:
        result = hz(*RUN, "--salaries", piped)
    assert result.code == expected.code == 0 and result.out == expected.out
    assert "rows: 8000," in result.err


@contextlib.contextmanager
def _fifo(path: Path, data: bytes) -> Iterator[None]:
    """A FIFO fed ``data`` once; whoever opens it again gets end of file at once, so a
    second reader ends instead of blocking the test for ever."""
    os.mkfifo(path)
    done = threading.Event()

    def feed() -> None:
        with open(path, "wb") as stream:  # blocks until the reader opens it
            stream.write(data)
        while not done.is_set():
            try:
                os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
            except OSError:  # no reader waiting
                time.sleep(0.01)

    thread = threading.Thread(target=feed)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()


def test_a_fifo_is_read_once_and_never_blocks(hz, tmp_path):
    path = tmp_path / "pay.csv"
    with _fifo(path, _big_payroll()):
        result = hz(*RUN, "--salaries", str(path))
    assert result.code == 0 and "rows: 8000," in result.err
    assert result.out.count("\n") == 8001


# A wholly GBK payroll whose Chinese is valid UTF-8 by chance on some lines (女 is C5 AE,
# 元 D4 AA): it was refused as "mixed encodings", or read as UTF-8 from a first such line
ROWS_BY_CHANCE = "张三,女,6000\n元,女,7000\n李四,男,5000\n"
GBK_BY_CHANCE = {
    "GBK header, then a line valid as UTF-8": "姓名,性别,工资\n" + ROWS_BY_CHANCE,
    "ASCII header, then a line valid as UTF-8": "name,sex,salary\n元,女,6000\n张三,女,7000\n"
    "李四,男,5000\n",
}  # fmt: skip


@pytest.mark.parametrize("case", GBK_BY_CHANCE)
@pytest.mark.parametrize("stdin", [False, True], ids=["file", "stdin"])
def test_a_gbk_payroll_valid_as_utf8_on_some_lines_is_read_as_gbk(hz, tmp_path, monkeypatch,
                                                                  case, stdin):  # fmt: skip
    text = GBK_BY_CHANCE[case]
    path = tmp_path / "pay.csv"
    path.write_bytes(text.encode("gbk"))
    if stdin:  # a pipe: told by its first MiB
        with _pipe(path.read_bytes()) as piped, open(piped, "rb") as pipe:
            monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(pipe))
            result = hz(*RUN, "--salaries", "-", "--format", "csv")
    else:
        result = hz(*RUN, "--salaries", str(path), "--format", "csv")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    # every name and sex as written, every row charged: 18,000 yuan in all
    assert [line.split(",")[:2] for line in lines[1:]] == [
        line.split(",")[:2] for line in text.splitlines()[1:]
    ]
    assert sum(int(line.split(",")[2]) for line in lines[1:]) == 18000
    assert "mixed" not in result.err
