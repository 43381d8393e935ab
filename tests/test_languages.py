"""Every sentence hzcity writes for people exists in Chinese: a run with --lang zh (or a
Chinese locale) prints no English sentence, on stdout or stderr."""

from __future__ import annotations

import re

import pytest

from hzcity.cli import MODULES

# Per command, runs that reach each kind of output a person reads (tables, cards, notes).
RUNS = {
    "topics": [[]],
    "facts": [[], ["civil-affairs"], ["education", "--kind", "price"]],
    "show": [["civil-affairs.school-grant"], ["plan.plans-since", "--context"]],
    "search": [["孤儿"], ["no-such-word"]],
    "events": [[]],
    "page": [["concert"]],
    "validate": [[]],
    "premium": [
        ["--salary", "6000", "--industry-class", "4", "--date", "2024-06-01"],
        ["--salary", "6000", "--date", "2024-06-01"],
        ["--salaries", "{payroll}", "--injury-rate", "0.9", "-f", "csv", "--date", "2024-06-01"],
        ["--salaries", "{payroll}", "-f", "csv", "--date", "2024-06-01"],
        ["--salaries", "{bad_row}", "--skip-bad-rows", "-f", "csv", "--date", "2024-06-01"],
    ],
    "allowance": [
        ["--care", "scattered", "--category", "hiv", "--student"],
        ["--care", "institutional", "--year", "2021"],
        ["--care", "scattered", "--category", "unsupported", "--student", "-f", "json"],
        ["--care", "scattered", "--growth", "3", "--until", "2025"],
    ],
    "childcare": [["--children", "3"]],
    "rates": [[], ["--date", "2026-06-01"], ["childcare-subsidy"]],
}  # a new command gets its runs here, or the test below fails
WORD = re.compile(r"\(?[A-Za-z]{2,}[,.;:)]?")  # a word, not an id, option, code or figure


def english_sentence(text: str) -> str:
    """The first line holding three English words in a row, else ''."""
    for line in text.splitlines():
        run = 0
        for token in line.split():
            run = run + 1 if WORD.fullmatch(token) else 0
            if run == 3:
                return line
    return ""


@pytest.fixture
def files(tmp_path):
    """Payroll files by the name the runs give them: a good one, one with bad rows, a
    workbook that is not one."""
    texts = {"payroll": "姓名,工资\n李,6000\n", "bad_row": "姓名,工资\n李,abc\n王,6000,1\n"}
    paths = {name: tmp_path / f"{name}.csv" for name in texts}
    for name, text in texts.items():
        paths[name].write_text(text, encoding="utf-8")
    paths["workbook"] = tmp_path / "工资.xlsx"
    paths["workbook"].write_bytes(b"PK\x03\x04 not a zip")
    paths["missing"] = tmp_path / "missing.csv"
    return {name: str(path) for name, path in paths.items()}


D = ["--date", "2024-06-01"]
FAILING = [
    # (argv, exit code, the English error line as it has always been)
    (["premium", "--salary", "abc", *D], 2, "--salary 'abc' is not an amount in yuan (digits, "
     "optional thousands commas, at most 2 decimals, e.g. 6000.50 or 6,000.50)"),
    (["premium", "--salary", "0", *D], 2, "--salary must be greater than 0, got '0'"),
    (["premium", "--salary", "6000", "--injury-rate", "x", *D], 2,
     "--injury-rate 'x' is not a percentage (e.g. 0.9 or 0.9%, at most 4 decimals)"),
    (["premium", "--salary", "6000", "--industry-class", "9", *D], 2,
     "--industry-class: industry class must be 1 to 8, got 9"),
    (["premium", "--salary", "6000", "--column", "x", *D], 2, "--column does not apply to one "
     "--salary, only to a payroll (--salaries FILE)"),
    (["premium", "--salary", "6000", "--date", "2025-01-01"], 4,
     "Unemployment insurance rate, employer's share: nothing in force on 2025-01-01; "
     "documented: 2023-05-01/2024-12-31. To add a window from a notice you cite, see "
     "'User parameter files' in facts/README.md."),
    (["allowance", "--care", "scattered", "--year", "2020"], 4,
     "Basic living standard, orphans in scattered (family) care: nothing in force in 2020; "
     "documented: 2022/.. (stated for 2022). To add a window from a notice you cite, see "
     "'User parameter files' in facts/README.md. The year before a stated standard is "
     "derived from its increase; --growth PCT --until YEAR projects later years."),
    (["allowance", "--care", "home"], 2,
     "--care: unknown care type 'home'; choose from institutional, scattered"),
    (["rates", "--date", "2025-13-01"], 2, "--date: date '2025-13-01' is not a date (YYYY-MM-DD)"),
    (["rates", "unemployment-rate"], 1, "unknown parameter 'unemployment-rate'; did you mean "
     "unemployment-employer-rate, unemployment-individual-rate?"),
    (["facts", "civil-afairs"], 1, "unknown topic 'civil-afairs'; did you mean civil-affairs?"),
    (["show", "funding"], 1, "unknown fact id 'funding'; did you mean education.funding-2022?"),
    (["facts", "--kind", "prices"], 2, "unknown kind 'prices'; choose from achievement, target, "
     "bound, change, rate, standard, count, date, time, price, contact, statement"),
    (["search", " "], 2, "search needs a word, e.g. hzcity search 孤儿"),
    (["premium", "--salaries", "{bad_row}", *D], 2, "{bad_row}:2: salary 'abc' is not an amount "
     "in yuan (digits, optional thousands commas, at most 2 decimals, e.g. 6000.50 or 6,000.50)"),
    (["premium", "--salaries", "{payroll}", "--column", "月薪", *D], 2,
     "{payroll}:1: no column '月薪' in the header (姓名, 工资)"),
    (["premium", "--salaries", "{workbook}", *D], 2,
     "{workbook}: not a readable workbook (File is not a zip file)"),
    (["premium", "--salaries", "{missing}", *D], 2,
     "{missing}: cannot read: No such file or directory"),
    (["premium", "--salaries", "{payroll}", "--output", "{payroll}", *D], 2,
     "{payroll}: is the input file; write the answer to another file"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("args", "code", "english"), FAILING, ids=[" ".join(a) for a, _, _ in FAILING]
)
def test_an_error_is_said_in_the_users_language(hz, files, args, code, english):
    chosen = [a.format(**files) for a in args]
    zh = hz(chosen[0], "--lang=zh", *chosen[1:])
    assert zh.code == code
    assert zh.err.splitlines()[-1].startswith("hzcity: error: ")
    assert english_sentence(zh.err) == ""
    en = hz(*chosen)
    assert en.code == code
    assert en.err.splitlines()[-1] == f"hzcity: error: {english.format(**files)}"


@pytest.mark.parametrize("env", ["HZCITY_LANG=zh", "LANG=zh_CN.UTF-8", "LC_ALL=zh_CN.UTF-8"])
def test_an_error_follows_the_environment_language(hz, monkeypatch, env):
    monkeypatch.setenv(*env.split("="))
    assert (
        hz("facts", "civil-afairs").err
        == "hzcity: error: 没有主题 'civil-afairs';是否要找 civil-affairs?\n"
    )
    assert hz("facts", "civil-afairs", "--lang", "en").err.startswith(
        "hzcity: error: unknown topic"
    )


def test_every_command_is_run_in_chinese():
    assert set(MODULES) == set(RUNS)


@pytest.mark.parametrize(
    "args", [[name, *args] for name, runs in RUNS.items() for args in runs], ids=" ".join
)
def test_chinese_output_holds_no_english_sentence(hz, monkeypatch, files, args):
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")  # for a command without --lang (validate)
    chosen = [a.format(**files) for a in args]
    if "-f" not in chosen and args[0] not in ("validate", "page"):
        chosen += ["-f", "table"]
    if args[0] != "validate":
        chosen += ["--lang", "zh"]
    result = hz(*chosen)
    assert result.code == 0, result.err
    assert english_sentence(result.out + result.err) == ""


def test_the_check_catches_an_english_sentence():
    assert english_sentence("合计 55.00\nhzcity: note: each item is rounded") != ""
    assert english_sentence("依据 insurance.work-injury-cut 0.5% --industry-class or x") == ""


def test_every_help_text_has_its_chinese():
    """--help in Chinese looks each text up: one added without a translation shows here."""
    import typer

    from hzcity.cli import full_app
    from hzcity.labels import HELP_ZH

    command = typer.main.get_command(full_app())
    texts = [command.help, *(p.help for p in command.params if p.name == "version")]
    for sub in command.commands.values():  # type: ignore[attr-defined]
        texts += [sub.help, *(getattr(p, "help", None) for p in sub.params)]
    assert [t for t in texts if t and t not in HELP_ZH] == []


@pytest.mark.parametrize("name", sorted(RUNS))
def test_help_reads_in_chinese(hz, monkeypatch, name):
    monkeypatch.setenv("HZCITY_LANG", "zh")  # validate has no --lang
    result = hz(name, "--help")
    assert result.code == 0
    body = result.out.split("Options:")[1] if "Options:" in result.out else result.out
    english = [
        line for line in body.splitlines() if english_sentence(line) and "--help" not in line
    ]  # fmt: skip  (Typer's own --help line stays English)
    assert english == []
