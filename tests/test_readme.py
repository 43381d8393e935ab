"""The README's examples are run: every ```console block's `$ ` commands must print what
the README shows, so the documentation cannot drift from the code.

Conventions of a console block: `$ cat FILE` followed by lines defines FILE (the test
writes it); a line `...` stands for any number of lines; output is stdout then stderr as
a terminal would show them, commands run on a pseudo-terminal of 120 columns with NO_COLOR
and English, in a scratch directory.
"""

from __future__ import annotations

import os
import pty
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCK = re.compile(r"^```console\n(.*?)^```", re.MULTILINE | re.DOTALL)


def _examples() -> list[tuple[str, str]]:
    """(command, expected output) pairs, in README order."""
    pairs = []
    for block in BLOCK.findall(README.read_text(encoding="utf-8")):
        for chunk in re.split(r"^\$ ", block, flags=re.MULTILINE)[1:]:
            command, _, output = chunk.partition("\n")
            pairs.append((command, output))
    return pairs


EXAMPLES = _examples()


def _on_a_terminal(command: str, cwd: Path) -> str:
    """Run ``command`` with stdout on a pseudo-terminal and stderr after it."""
    bin_dir = str(Path(sys.executable).parent)
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        "COLUMNS": "120",
        "NO_COLOR": "1",
        "HZCITY_LANG": "en",
    }
    leader, follower = pty.openpty()
    with subprocess.Popen(
        ["bash", "-c", f"set -o pipefail; {command}"],
        stdout=follower,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        cwd=cwd,
        env=env,
    ) as proc:
        os.close(follower)
        chunks = []
        while True:
            try:
                data = os.read(leader, 65536)
            except OSError:  # the terminal closed: the command is done
                break
            if not data:
                break
            chunks.append(data)
        err = proc.stderr.read() if proc.stderr else b""
    os.close(leader)
    out = b"".join(chunks).decode("utf-8").replace("\r\n", "\n")
    return out + err.decode("utf-8")


def _matches(got: list[str], want: list[str]) -> bool:
    """Line by line, trailing spaces ignored; a `...` line in ``want`` matches any lines."""
    if not want:
        return not got
    if want[0].strip() == "...":
        return any(_matches(got[i:], want[1:]) for i in range(len(got) + 1))
    return bool(got) and got[0].rstrip() == want[0].rstrip() and _matches(got[1:], want[1:])


@pytest.mark.parametrize(("command", "output"), EXAMPLES, ids=[c for c, _ in EXAMPLES])
def test_readme_example(tmp_path_factory: pytest.TempPathFactory, command: str, output: str):
    scratch = tmp_path_factory.getbasetemp() / "readme"
    scratch.mkdir(exist_ok=True)
    defined = re.fullmatch(r"cat (\S+)", command)
    if defined:
        (scratch / defined.group(1)).write_text(output, encoding="utf-8")
    tools = re.findall(r"\|\s*(\w+)", command)
    missing = [tool for tool in tools if not shutil.which(tool)]
    if missing:
        pytest.skip(f"{', '.join(missing)} is not installed")
    got = _on_a_terminal(command, scratch)
    matched = _matches(got.rstrip("\n").split("\n"), output.rstrip("\n").split("\n"))
    assert matched, f"README.md shows:\n{output}\nhzcity printed:\n{got}"


def test_the_readme_has_examples_that_run():
    assert len(EXAMPLES) >= 8
