"""Where an answer may be written (issues 22 and 26): never over the payroll being read, by
any name or through standard input; never over a file open in LibreOffice or Excel; never
over a file the user may not write, and a replaced file keeps its mode; a parameter
template on a full disk leaves nothing behind."""

from __future__ import annotations

import errno
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import openpyxl
import pytest

from hzcity.errors import BadInput
from hzcity.output.files import Draft, check_target, lock_of

FIXTURES = Path(__file__).parent / "fixtures"
PAYROLL = "姓名,缴费基数\n张三,6000\n李四,7000\n"
NOBODY = 65534  # the unprivileged user and group of most Linux systems


def _hzcity(*args: str, cwd: Path, stdin: Path | None = None, user: list[str] = (),
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:  # fmt: skip
    """``hzcity ARGS`` in a process of its own (``< stdin``), as ``user`` (a setpriv line)."""
    with open(stdin or os.devnull, "rb") as given:
        return subprocess.run([*user, sys.executable, "-m", "hzcity", *args], cwd=cwd,
                              stdin=given, capture_output=True, text=True,
                              env={**os.environ, **(env or {})}, timeout=60)  # fmt: skip


def test_standard_input_that_is_the_target_is_refused(tmp_path):
    """The reproducer: `--salaries - --output pay.xlsx < pay.xlsx` replaced the clerk's
    two-sheet workbook by the answer, exit 0. The file is compared, not the name."""
    pay = tmp_path / "pay.xlsx"
    shutil.copy(FIXTURES / "clerk.xlsx", pay)
    before = pay.read_bytes()
    os.link(pay, tmp_path / "same.xlsx")  # the same file by another name
    for target in ("pay.xlsx", "same.xlsx"):
        result = _hzcity("premium", "--salaries", "-", "--industry-class", "4", "--output",
                         target, cwd=tmp_path, stdin=pay)  # fmt: skip
        assert result.returncode == 2, result.stderr
        assert f"{target}: is the input file" in result.stderr
    assert pay.read_bytes() == before
    assert len(openpyxl.load_workbook(pay).worksheets) > 1  # still the clerk's workbook
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pay.xlsx", "same.xlsx"]
    # another file on standard input: the answer is written
    (tmp_path / "in.csv").write_text(PAYROLL, encoding="utf-8")
    result = _hzcity("premium", "--salaries", "-", "--industry-class", "4", "--date",
                     "2024-06-01", "--output", "pay.xlsx", cwd=tmp_path,
                     stdin=tmp_path / "in.csv")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert openpyxl.load_workbook(pay).worksheets[0]["A2"].value == "张三"


def test_the_input_file_by_a_hard_link_is_refused(hz, tmp_path):
    payroll = tmp_path / "in.csv"
    payroll.write_text(PAYROLL, encoding="utf-8")
    os.link(payroll, tmp_path / "answer.csv")
    result = hz("premium", "--salaries", str(payroll), "--industry-class", "4", "--output",
                str(tmp_path / "answer.csv"))  # fmt: skip
    assert result.code == 2 and "is the input file" in result.err
    assert payroll.read_text(encoding="utf-8") == PAYROLL


@pytest.mark.parametrize("lock", [".~lock.答案.xlsx#", "~$答案.xlsx"])  # LibreOffice, Excel
def test_an_answer_open_in_an_office_program_is_refused(hz, tmp_path, lock):
    payroll, answer = tmp_path / "in.csv", tmp_path / "答案.xlsx"
    payroll.write_text(PAYROLL, encoding="utf-8")
    answer.write_bytes(b"the answer the clerk has open")
    (tmp_path / lock).write_text("clerk,host,2024-06-28\n", encoding="utf-8")
    result = hz("premium", "--salaries", str(payroll), "--industry-class", "4", "--output",
                str(answer))  # fmt: skip
    assert result.code == 2
    assert f"答案.xlsx: the file is open in another program ({lock} beside it)" in result.err
    assert "close it or choose another name" in result.err
    assert answer.read_bytes() == b"the answer the clerk has open"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["in.csv", "答案.xlsx", lock])
    # a new name for an answer the program has open (saved elsewhere, a lock left): refused
    answer.unlink()
    assert hz("premium", "--salaries", str(payroll), "--industry-class", "4", "--output",
              str(answer)).code == 2  # fmt: skip
    assert not answer.exists()


def test_a_payroll_open_in_an_office_program_gets_a_note(hz, tmp_path):
    payroll = tmp_path / "工资表.csv"
    payroll.write_text(PAYROLL, encoding="utf-8")
    (tmp_path / ".~lock.工资表.csv#").write_text("clerk\n", encoding="utf-8")
    result = hz("premium", "--salaries", str(payroll), "--industry-class", "4", "--date",
                "2024-06-01")  # fmt: skip
    assert result.code == 0 and result.out.count("\n") == 3
    assert (
        f"hzcity: note: {payroll}: the file is open in another program (.~lock.工资表.csv# "
        "beside it): changes not saved yet are not in it, nor in the answer" in result.err
    )
    chinese = hz("--lang", "zh", "premium", "--salaries", str(payroll), "--industry-class", "4")
    assert "尚未保存的修改不在文件中" in chinese.err


def test_lock_files_are_found_beside_the_file(tmp_path):
    path = tmp_path / "a.xlsx"
    assert lock_of(path) is None
    (tmp_path / "~$a.xlsx").write_text("")
    assert lock_of(path) == tmp_path / "~$a.xlsx"
    assert lock_of(tmp_path / "b.xlsx") is None


def test_a_replaced_file_keeps_its_mode(hz, tmp_path):
    payroll, answer = tmp_path / "in.csv", tmp_path / "answer.csv"
    payroll.write_text(PAYROLL, encoding="utf-8")
    answer.write_text("the previous answer", encoding="utf-8")
    modes = [0o640, 0o604]
    if os.geteuid() == 0:  # root may write a read-only file, as the shell's > does
        modes.append(0o444)
    for mode in modes:
        answer.chmod(mode)
        result = hz("premium", "--salaries", str(payroll), "--industry-class", "4", "--date",
                    "2024-06-01", "--output", str(answer))  # fmt: skip
        assert result.code == 0, result.err
        assert stat.S_IMODE(answer.stat().st_mode) == mode
        assert answer.read_text(encoding="utf-8-sig").splitlines()[1].startswith("张三,6000,")
    fresh = tmp_path / "fresh.csv"
    assert hz("premium", "--salaries", str(payroll), "--output", str(fresh)).code == 0
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o666 & ~umask


def _unprivileged() -> list[str]:
    """The start of a command line that runs as an unprivileged user: nothing when the tests
    already run as one; setpriv to nobody when they run as root (skipped without it)."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("root, and no setpriv to run as an unprivileged user")
    user = [setpriv, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
    if subprocess.run([*user, sys.executable, "-c", "pass"], capture_output=True).returncode:
        pytest.skip("this Python cannot be run as nobody")
    return user


def test_a_target_the_user_cannot_write_is_refused():
    """The reproducer: a chmod 444 answer was silently replaced by a 0644 file. The
    directory is writable, so only the check refuses it, as the shell's > would."""
    user = _unprivileged()
    with tempfile.TemporaryDirectory(prefix="hzcity-test-") as name:
        place = Path(name)
        place.chmod(0o777)  # anyone may make (and rename) files here
        payroll, answer = place / "in.csv", place / "answer.csv"
        payroll.write_text(PAYROLL, encoding="utf-8")
        answer.write_text("the previous answer", encoding="utf-8")
        answer.chmod(0o444)
        result = _hzcity("premium", "--salaries", str(payroll), "--industry-class", "4",
                         "--output", str(answer), cwd=place, user=user,
                         env={"HOME": name, "HZCITY_NO_CACHE": "1"})  # fmt: skip
        assert result.returncode == 2
        assert f"{answer}: cannot write: Permission denied" in result.stderr
        assert answer.read_text(encoding="utf-8") == "the previous answer"
        assert stat.S_IMODE(answer.stat().st_mode) == 0o444
        assert sorted(p.name for p in place.iterdir()) == ["answer.csv", "in.csv"]
        # a new file in a directory the user may not write: refused the same way
        place.chmod(0o755)
        result = _hzcity("premium", "--salaries", str(payroll), "--output",
                         str(place / "new.csv"), cwd=place, user=user,
                         env={"HOME": name, "HZCITY_NO_CACHE": "1"})  # fmt: skip
        assert (
            result.returncode == 2 and "new.csv: cannot write: Permission denied" in result.stderr
        )


def test_the_check_asks_the_system_whether_the_user_may_write(tmp_path, monkeypatch):
    """The rule itself, on any machine: what os.access denies is refused."""
    target = tmp_path / "answer.csv"
    check_target(target)  # a new file in a writable directory
    target.write_text("x")
    asked = []

    def denied(path: object, mode: int) -> bool:
        asked.append((Path(str(path)), mode))
        return False

    monkeypatch.setattr(os, "access", denied)
    with pytest.raises(BadInput, match="cannot write: Permission denied"):
        check_target(target)
    assert asked == [(target, os.W_OK)]
    with pytest.raises(BadInput, match="cannot write"):
        check_target(tmp_path / "new.csv")
    assert asked[-1] == (tmp_path, os.W_OK)


def test_a_link_is_written_through_as_the_shell_does(tmp_path):
    real, link = tmp_path / "real.csv", tmp_path / "link.csv"
    real.write_text("old")
    link.symlink_to(real)
    with Draft(link) as draft:
        draft.path.write_text("new")
        draft.commit()
    assert link.is_symlink() and real.read_text() == "new"


def test_a_template_on_a_full_disk_leaves_no_file_behind(hz, tmp_path, monkeypatch):
    """The reproducer: `rates --template` on a full disk left an empty file, which the
    next run then refused to write over."""
    write_text = Path.write_text

    def full_disk(self: Path, data: str, *args: object, **kwargs: object) -> int:
        write_text(self, data[: len(data) // 2], encoding="utf-8")  # what fitted
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(Path, "write_text", full_disk)
    failed = hz("rates", "--template", str(tmp_path))
    assert failed.code == 2
    assert "rates-2026-01-01.yaml: cannot write: No space left on device" in failed.err
    assert list((tmp_path / "parameters").iterdir()) == []
    monkeypatch.setattr(Path, "write_text", write_text)  # room again
    wrote = hz("rates", "--template", str(tmp_path))
    assert wrote.code == 0, wrote.err
    text = (tmp_path / "parameters" / "rates-2026-01-01.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server:") and "contribution-base-min" in text
