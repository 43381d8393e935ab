"""What a terminal is shown: a user's text never drives it (issue 18.14).

The runs below write to a real pseudo-terminal, as a person's would, so every format
takes its terminal path. A user topic holding a screen clear, a window title, a clipboard
write (OSC 52) or a bidi override is refused, file:line, by every command (issue 23); a
payroll's cells and a file's name are shown neutralised.
"""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from hzcity.output.screen import printable

CLIPBOARD = "\\e]52;c;cm0gLXJmIH4=\\a"  # YAML escapes: OSC 52 writes the clipboard
HOSTILE = textwrap.dedent(
    f"""\
    topic: evil
    title_zh: "邪\\e[2J"
    title_en: "Evil\\e]0;PWNED\\a"
    headline: "{CLIPBOARD}"
    facts:
      - id: hostile
        label_zh: "标签\\u202e反"
        label_en: "label\\u202eesrever{CLIPBOARD}"
        value: "x\\e[2J"
        kind: statement
        period: "2023"
        quote: "q{CLIPBOARD} x\\e[2J"
    """
)
LABEL = "label\u202eesrever\x1b]52;c;cm0gLXJmIH4=\x07"  # label_en as read
OURS = ("\x1b[1m", "\x1b[2;3m", "\x1b[0m", "\x1b[4m", "\x1b[22m", "\x1b[24m")  # our own styles
OBEYED = [chr(c) for c in [*range(0x20), *range(0x7F, 0xA0), 0x202E] if chr(c) not in "\n\t"]


@pytest.fixture(scope="module")
def facts_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile-facts")
    (folder / "evil.yaml").write_text(HOSTILE, encoding="utf-8")
    return folder


def on_terminal(*args: str) -> tuple[int, str, str]:
    """Run hzcity with stdout on a pseudo-terminal: exit code, what the screen got, stderr."""
    leader, follower = pty.openpty()
    env = {**os.environ, "COLUMNS": "100", "LANG": "C.UTF-8", "TERM": "xterm"}
    env.pop("NO_COLOR", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "hzcity", *args], stdout=follower, stderr=subprocess.PIPE, env=env
    )
    os.close(follower)
    shown = _screen(leader)
    err = process.stderr.read().decode() if process.stderr else ""
    return process.wait(), shown.decode().replace("\r\n", "\n"), err


def _screen(leader: int) -> bytes:
    """All a pseudo-terminal got until its other side closed."""
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the terminal's other side closed
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    return shown


def obeyed(text: str) -> list[str]:
    """What a terminal would obey in ``text`` beyond hzcity's own styles."""
    for style in OURS:
        text = text.replace(style, "")
    return sorted({c for c in text if c in OBEYED})


@pytest.mark.parametrize(
    "args",
    [
        *(["facts", "evil", "-f", fmt] for fmt in ("table", "md", "csv", "tsv", "json")),
        ["page", "evil"],
        ["page", "--format", "html"],
        ["show", "evil.hostile", "--context"],
        ["topics"],
        ["search", "esrever"],
    ],
    ids=" ".join,
)
def test_a_user_topic_holding_what_a_terminal_obeys_is_refused_and_the_refusal_is_safe(
    facts_dir: Path, args: list[str]
) -> None:
    """Such text would reach terminals, CSV and .ics files: no command reads the file, and
    the error naming it drives nothing either."""
    code, shown, err = on_terminal(*args, "--facts-dir", str(facts_dir))
    assert code == 3, err
    assert f"{facts_dir / 'evil.yaml'}:2: title_zh holds U+001B" in err
    assert obeyed(shown + err) == []


def _hostile_payroll(folder: Path) -> Path:
    payroll = folder / "p.csv"
    payroll.write_text(f"name,salary\n{LABEL},6000\n", encoding="utf-8")
    return payroll


def test_json_on_a_terminal_escapes_what_it_neutralises_so_the_data_is_whole(
    tmp_path: Path,
) -> None:
    code, shown, err = on_terminal("premium", "--salaries", str(_hostile_payroll(tmp_path)),
                                   "--industry-class", "4", "-f", "json")  # fmt: skip
    assert code == 0 and "\\u202e" in shown, err
    assert json.loads(shown)[0]["name"] == LABEL


def test_in_a_pipe_data_formats_carry_the_text_as_it_is(hz, tmp_path: Path) -> None:
    """csv, tsv and json are data for scripts: the README says they are not neutralised."""
    result = hz("premium", "--salaries", str(_hostile_payroll(tmp_path)), "--industry-class",
                "4", "-f", "json")  # fmt: skip
    assert json.loads(result.out)[0]["name"] == LABEL
    assert "\u202e" in result.out


def test_a_file_name_cannot_drive_the_terminal_through_validate_or_an_error(
    hz, tmp_path: Path
) -> None:
    folder = tmp_path / "evil\x1b]52;c;cm0gLXJmIH4=\x07dir"
    folder.mkdir()
    (folder / "bad\x1b[2J.yaml").write_text("topic: [\n", encoding="utf-8")
    result = hz("validate", str(folder))
    assert result.code == 1 and "bad" in result.out
    assert obeyed(result.out + result.err) == []
    broken = hz("facts", "--facts-dir", str(folder))
    assert broken.code == 3 and "bad" in broken.err
    assert obeyed(broken.err) == []


def test_usage_errors_show_the_users_words_neutralised(hz) -> None:
    result = hz("facts", "--kind\u202e\x1b]0;PWNED\x07")
    assert result.code == 2 and "No such option" in result.err
    assert obeyed(result.err) == []


def test_printable_keeps_offsets_and_line_feeds() -> None:
    text = "a\x1b[2J\tb\u202ec\n"
    assert printable(text) == "a\ufffd[2J b\ufffdc\n"


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_a_payroll_name_cannot_drive_the_terminal_whichever_engine_could_run(
    tmp_path: Path, fmt: str
) -> None:
    """The fast engine writes bytes as they are: on a terminal the reference engine, which
    screens, answers instead (a plain UTF-8 CSV file is otherwise the fast engine's)."""
    payroll = tmp_path / "p.csv"
    payroll.write_text("name,salary\nevil\x1b]52;c;cm0gLXJmIH4=\x07,6000\n", encoding="utf-8")
    code, shown, err = on_terminal(
        "premium", "--salaries", str(payroll), "--industry-class", "4", "-f", fmt
    )
    assert code == 0, err
    assert "evil" in shown and "30.00" in shown
    assert obeyed(shown) == []


def stderr_on_terminal(*args: str, columns: int = 80) -> str:
    """What a terminal of ``columns`` shows of hzcity's stderr (stdout goes nowhere)."""
    leader, follower = pty.openpty()
    env = {**os.environ, "COLUMNS": str(columns), "LANG": "C.UTF-8", "TERM": "xterm"}
    process = subprocess.Popen([sys.executable, "-m", "hzcity", *args],
                               stdout=subprocess.DEVNULL, stderr=follower, env=env)  # fmt: skip
    os.close(follower)
    shown = _screen(leader)
    process.wait()
    return shown.decode().replace("\r\n", "\n")


@pytest.mark.parametrize(
    ("args", "kind"),
    [
        (("premium", "--salary", "6000"), "note"),
        (("--lang", "zh", "premium", "--salary", "6000"), "note"),
        (("premium", "--salary", "6000", "--date", "2099-01-01"), "error"),
    ],
)
def test_notes_and_errors_wrap_to_a_terminal_but_stay_one_line_in_a_pipe(args, kind):
    """80 cells at most a line on a terminal, each further line under the message; in a
    pipe, one line a message, as scripts grep them."""
    from hzcity.output.table import cells

    shown = stderr_on_terminal(*args).splitlines()
    piped = subprocess.run([sys.executable, "-m", "hzcity", *args], capture_output=True,
                           text=True, env={**os.environ, "LANG": "C.UTF-8"}).stderr  # fmt: skip
    head = f"hzcity: {kind}: "
    longest = max(piped.splitlines(), key=cells)
    assert longest.startswith(head) and cells(longest) > 80  # the case needs wrapping
    assert all(cells(line) <= 80 for line in shown), shown
    start = shown.index(next(line for line in shown if longest.startswith(line)))
    rest = shown[start + 1 :]
    taken = rest[: next((i for i, line in enumerate(rest) if line.startswith("hzcity:")), None)]
    assert taken and all(line.startswith(" " * len(head)) for line in taken)
    assert "".join(line.strip() for line in [shown[start], *taken]).replace(" ", "") == (
        longest.replace(" ", "")
    )
