"""Every sentence hzcity writes for people exists in Chinese: a run with --lang zh (or a
Chinese locale) prints no English sentence, on stdout or stderr."""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from pathlib import Path

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
    "validate": [[], ["{grant}"]],
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
        [
            "--care",
            "scattered",
            "--category",
            "unsupported",
            "--student",
            "--year",
            "2022",
            "--facts-dir",
            "{grant}",
        ],
    ],
    "childcare": [["--children", "3"], ["--children", "3", "--date", "2023-06"]],
    "rates": [
        [],
        ["--date", "2026-06-01"],
        ["childcare-subsidy"],
        ["work-injury-benchmark-rate", "--facts-dir", "{benchmark}"],
    ],
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
    cases = Path(__file__).parent / "cases" / "user-params"
    paths |= {"grant": cases / "grant-2025", "benchmark": cases / "benchmark-2024"}
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
     "nothing in force on 2025-01-01 for unemployment-employer-rate (Unemployment insurance "
     "rate, employer's share; windows: 2023-05-01/2024-12-31), unemployment-individual-rate "
     "(Unemployment insurance rate, individual's share; windows: 2023-05-01/2024-12-31), "
     "work-injury-cut (Cut of the employer's current work-injury rate; windows: "
     "2023-05-01/2024-12-31). To "
     "compute with a notice you cite, write a file to fill in: hzcity rates --template DIR "
     "--date 2025-01-01 (see 'User parameter files' in facts/README.md)."),
    (["allowance", "--care", "scattered", "--year", "2020"], 4,
     "nothing in force in 2020 for orphan-standard-scattered (Basic living standard, orphans "
     "in scattered (family) care; windows: 2022/.. (stated for 2022)). To compute with a "
     "notice you cite, write a file to fill in: hzcity rates --template DIR "
     "orphan-standard-scattered --date 2020-01-01 (see 'User parameter files' in "
     "facts/README.md). The year before a stated standard is derived from its increase; "
     "--growth PCT --until YEAR projects later years."),
    (["allowance", "--care", "home"], 2,
     "--care: unknown care type 'home'; choose from institutional, scattered"),
    (["rates", "--date", "2025-13-01"], 2, "--date: '2025-13-01' is no day of the calendar"),
    (["rates", "unemployment-rate"], 1, "unknown parameter 'unemployment-rate'; did you mean "
     "unemployment-employer-rate, unemployment-individual-rate?"),
    (["facts", "civil-afairs"], 1, "unknown topic 'civil-afairs'; did you mean civil-affairs?"),
    (["show", "funding"], 1, "unknown fact id 'funding'; did you mean education.funding-2022?"),
    (["facts", "--kind", "prices"], 2, "unknown kind 'prices'; choose from achievement, target, "
     "bound, change, rate, standard, count, ordinal, date, time, price, contact, statement"),
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
        == "hzcity: error: 没有主题“civil-afairs”；是否要找 civil-affairs？\n"
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
    assert orphans(result.out) == []


def orphans(text: str) -> list[str]:
    """Lines that hold one Chinese character alone (and any closing mark after it): a wrap
    that left it behind."""
    return [line for line in text.splitlines()
            if re.fullmatch(r"\s*[\u4e00-\u9fff][。,;:、)”》]?\s*", line)]  # fmt: skip


def test_a_note_on_a_terminal_leaves_no_character_alone(hz, monkeypatch):
    """The note before the classes' table was 66 cells of a 66-cell line and one more."""
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)  # wrapped: on a terminal
    result = hz("premium", "--salary", "6000", "--date", "2024-06-01", "--lang", "zh")
    lines = result.err.splitlines()
    assert lines[0].startswith("hzcity: note: 未给出 --industry-class")
    assert orphans(result.err) == [] and len(lines) == 2
    assert all(cells(line) <= 80 for line in lines)


def test_the_check_catches_an_english_sentence():
    assert english_sentence("合计 55.00\nhzcity: note: each item is rounded") != ""
    assert english_sentence("依据 insurance.work-injury-cut 0.5% --industry-class or x") == ""


def test_every_help_text_has_its_chinese():
    """--help in Chinese looks each text up in the catalog: one added without a
    translation shows here."""
    import typer

    from hzcity.cli import full_app
    from hzcity.i18n import translate

    command = typer.main.get_command(full_app())
    texts = [command.help, *(getattr(p, "help", None) for p in command.params)]
    for sub in command.commands.values():  # type: ignore[attr-defined]
        texts += [sub.help, *(getattr(p, "help", None) for p in sub.params)]
    assert [t for t in texts if t and translate(t, "zh") == t] == []


@pytest.mark.parametrize("name", sorted(RUNS))
def test_help_reads_in_chinese(hz, monkeypatch, name):
    monkeypatch.setenv("HZCITY_LANG", "zh")  # validate has no --lang
    result = hz(name, "--help")
    assert result.code == 0
    assert result.out.startswith(f"用法：hzcity {name} [选项]")
    assert "\n选项：\n" in result.out and "  --help  " in result.out
    assert [line for line in result.out.splitlines() if english_sentence(line)] == []
    for english in ("Usage:", "Options:", "Arguments:", "Show this message", "env var",
                    "default:", "required]"):  # fmt: skip
        assert english not in result.out


def test_the_main_help_reads_in_chinese(hz, monkeypatch):
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    out = hz("--help").out
    assert out.startswith("用法：hzcity [选项] 命令 [参数]...\n")
    assert "\n命令：\n" in out
    assert "  --help                显示本帮助后退出。\n" in out
    assert "  --install-completion  为当前 shell 安装命令补全。\n" in out
    assert english_sentence(out) == ""


@pytest.mark.parametrize(
    ("args", "stream", "start"),
    [(["--lang", "zh", "--help"], "out", "用法：hzcity [选项] 命令 [参数]...\n"),
     (["--lang=zh"], "err", "用法：hzcity [选项] 命令 [参数]...\n"),
     (["--lang", "zh", "prmium"], "err", "用法：hzcity [选项] 命令 [参数]...\n")],
)  # fmt: skip
def test_lang_before_no_command_is_taken_too(hz, args, stream, start):
    """--lang is accepted before the command; with none after it (the main help, a typo
    of a command) the root must not refuse it as an unknown option."""
    result = hz(*args)
    assert getattr(result, stream).startswith(start)
    assert "--lang" not in result.err


def cells(line: str) -> int:
    """Display cells of a line as a terminal draws it: east-asian wide characters take 2."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", ["", *sorted(RUNS)])
def test_every_help_screen_fits_80_columns(hz, monkeypatch, lang, name):
    """Click counts a Chinese character as one column: its help ran to 102 cells."""
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("HZCITY_LANG", lang)
    out = hz(*filter(None, [name, "--help"])).out
    assert [line for line in out.splitlines() if cells(line) > 80] == []
    assert "--\n" not in out  # an option is never cut at its hyphens
    if lang == "zh":  # nor a name or path in Chinese text (目录/parameters/rates-日期.yaml)
        assert re.findall(r"[A-Za-z]-\n", out) == []
    assert re.findall(r"x[<>]|[<>]=?x", out) == []  # a range in words, not Click's 1<=x<=8


CLICK_ERRORS = [
    # (argv, the lines in English, the lines in Chinese)
    (["allowance"],
     ["Usage: hzcity allowance [OPTIONS]", "Try 'hzcity allowance --help' for help.", "",
      "hzcity: error: Missing option '--care'."],
     ["用法：hzcity allowance [选项]", "用“hzcity allowance --help”查看帮助。", "",
      "hzcity: error: 缺少选项“--care”。"]),
    (["premium", "--salry", "3"],
     ["Usage: hzcity premium [OPTIONS]", "Try 'hzcity premium --help' for help.", "",
      "hzcity: error: No such option: --salry (Possible options: --salaries, --salary)"],
     ["用法：hzcity premium [选项]", "用“hzcity premium --help”查看帮助。", "",
      "hzcity: error: 没有选项 --salry（可能是：--salaries、--salary）"]),
    (["topcis"],
     ["Usage: hzcity [OPTIONS] COMMAND [ARGS]...", "Try 'hzcity --help' for help.", "",
      "hzcity: error: No such command 'topcis'. Did you mean 'topics'?"],
     ["用法：hzcity [选项] 命令 [参数]...", "用“hzcity --help”查看帮助。", "",
      "hzcity: error: 没有名为“topcis”的命令；是否要找“topics”？"]),
    (["frobnicate"],
     ["Usage: hzcity [OPTIONS] COMMAND [ARGS]...", "Try 'hzcity --help' for help.", "",
      "hzcity: error: No such command 'frobnicate'."],
     ["用法：hzcity [选项] 命令 [参数]...", "用“hzcity --help”查看帮助。", "",
      "hzcity: error: 没有名为“frobnicate”的命令"]),
    (["facts", "--kind"], ["hzcity: error: Option '--kind' requires an argument."],
     ["hzcity: error: 选项“--kind”需要一个值。"]),
    (["show", "a", "b"], ["hzcity: error: Got unexpected extra argument(s) (b)"],
     ["hzcity: error: 多余的参数（b）"]),
    (["allowance", "--care", "scattered", "--months", "1.5"],
     ["hzcity: error: Invalid value for '--months': '1.5' is not a valid int."],
     ["hzcity: error: “--months”的值无效：“1.5”不是整数。"]),
    (["facts", "--format", "xml"],
     ["hzcity: error: Invalid value for '--format' / '-f': 'xml' is not one of 'table', "
      "'json', 'jsonl', 'csv', 'tsv', 'md'."],
     ["hzcity: error: “--format”/“-f”的值无效：“xml”不是可选值（table、json、jsonl、csv、tsv、md）"
      "之一。"]),
]  # fmt: skip


@pytest.mark.parametrize(("args", "english", "chinese"), CLICK_ERRORS,
                         ids=[" ".join(a) for a, _, _ in CLICK_ERRORS])  # fmt: skip
def test_a_usage_error_is_said_in_the_users_language(hz, monkeypatch, args, english, chinese):
    en = hz(*args)
    assert en.code == 2
    assert en.err.splitlines()[-len(english) :] == english
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    zh = hz(*args)
    assert zh.code == 2
    assert zh.err.splitlines()[-len(chinese) :] == chinese
    assert english_sentence(zh.err) == ""


CLERK = [
    # (argv, words a Chinese clerk reads, words that must not be there): issue 19's walkthrough
    (["premium", "--salary", "6000", "--industry-class", "4", "--date", "2024-06-01"],
     ["减征额", "执行期间2023-05-01至2024-12-31", "0.45% = 0.9% × (1 − 50%)",
      "四类行业基准费率左右", "用人单位实际费率可能不同"],
     ["下调节省", "2023-05-01/2024-12-31", "- 50%", "4类"]),
    (["premium", "--salary", "2000000", "--date", "2024-06-01"],
     ["一类 0.2", "八类 1.9", "现行费率：各类别行业基准费率左右（人社部发〔2015〕71号）",
      "39,000.00"], ["\n 1 ", "\n 8 "]),
    (["rates", "work-injury-benchmark-rate"],
     ["一类0.2%、二类0.4%、三类0.7%、四类0.9%、五类1.1%、六类1.3%、七类1.6%、八类1.9%",
      "（一类至八类，均为左右；各地费率可能不同）",
      "《人力资源社会保障部 财政部关于调整工伤保险费率政策的通知》（人社部发〔2015〕71号）"],
     ["1: 0.2%"]),
    (["rates"], ["200元/人/月", "10,000元/人/学年", "2,585元/月"], ["200 元", "10000"]),
    (["facts", "safety-month"], ["第22个", "序数"], []),
    (["facts", "plan"], ["第五轮", "1995至2023"], ["1995/2023"]),
    (["facts", "insurance"], ["2023-05-01至2024-12-31"], ["2023-05-01/2024-12-31"]),
    (["events"], ["结束日期"], ["截至"]),
    (["show", "insurance.work-injury-cut"], ["报道记者 于勇渊"], ["发布者", "换算值"]),
    (["show", "education.new-places-2023"], ["目标（2023年）"], ["目标 2023"]),
    (["allowance", "--care", "scattered", "--category", "hiv", "--student"],
     ["艾滋病病毒感染儿童", "纳入孤儿同等“助学工程”范围，孤儿已在其中", "具体条件未载明",
      "；艾滋病病毒感染儿童未计入助学金"],
     ["感染艾滋病病毒儿童", "类别 艾滋病病毒感染儿童"]),
    (["allowance", "--care", "scattered", "--category", "unsupported", "--student"],
     ["助学金计1个学年", "具体条件报道未载明"], []),
    (["facts", "education"],
     ["教育：义务教育优质均衡与学位（编号省略“education.”）", "下限", "截至2023-05-31的3年"],
     ["界限", "P3Y"]),
    (["facts", "civil-affairs", "--kind", "change"], ["变动幅度"], []),
    (["show", "education.funding-2022"], ["1,995,000,000元", "发布人 市教育局一级调研员邓向伟"],
     ["yuan", "1995000000"]),
    (["show", "civil-affairs.school-grant"], ["10,000元/人/学年"], ["school-year"]),
    (["show", "plan.press-conference-date"],
     ["备注", "报道未载明年份；本版报道的是2023年5月31日的事。"], ["2023-05-31date"]),
    (["show", "health.childcare-subsidy"], ["报道称市卫健委“将建立”该补贴制度"], []),
    (["premium", "--help"], ["逐行提示原因"], ["标准错误"]),
    # issue 25's reading by a Harbin clerk
    (["premium", "--salary", "6000", "--date", "2024-06-01"],
     ["各类别失业保险相同：单位缴费30.00元、个人缴费30.00元"], ["单位30.00"]),
    (["premium", "--salary", "6000", "--industry-class", "4", "--date", "2024-06-01"],
     ["工伤保险减征额（不计入合计） 27.00"], ["\n 减征额"]),
    (["rates", "orphan-standard-scattered"], ["2022年公布的标准，未载明截止日期"],
     ["公布的2022年标准"]),
    (["allowance", "--care", "scattered", "--growth", "3", "--until", "2025"], ["推算"],
     ["预测"]),
    (["premium", "--help"],
     ["--salary 金额（元）", "--injury-rate 百分比", "--encoding 名称", "GB18030（GBK）",
      "按 GB18030 读取，GBK 文件亦可", "工伤保险行业风险类别（一类至八类，输入 1-8）", "选项：",
      "--facts-dir 目录", "[1000 至 9999]", "[不小于 1]"],
     ["YUAN", "PCT", "<path>", "行业风险类别 1-8", "UTF-8 或 GBK", "x>=", "<=x"]),
    (["allowance", "--help"],
     ["--months 整数", "合计的月数（默认：12）", "institutional 机构养育，scattered 散居养育",
      "orphan 孤儿（默认）", "（与 --student 一起用；默认：1）", "--year 年份"],
     ["<int>", "(12)"]),
    (["show", "--help"], ["用法：hzcity show [选项] {条目编号}", "--topic 主题"],
     ["<str>", "fact_id"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("args", "present", "absent"), CLERK, ids=[" ".join(a) for a, _, _ in CLERK]
)
def test_chinese_reads_in_a_clerks_terms(hz, monkeypatch, args, present, absent):
    monkeypatch.setenv("HZCITY_LANG", "zh")
    monkeypatch.setenv("COLUMNS", "80")  # as a clerk's terminal: every line fits (test above)
    out = hz(*args, *(["-f", "table"] if "--help" not in args and "-f" not in args else [])).out
    whole = "".join(out.split())  # a table wraps its cells: a sentence is found unwrapped
    assert [word for word in present if "".join(word.split()) not in whole] == []
    assert [word for word in absent if word in out] == []


def test_scripts_get_the_readers_words_and_the_figures_as_computed(hz, monkeypatch):
    """JSON, CSV and TSV keep codes and plain figures, and say their prose in --lang."""
    monkeypatch.setenv("HZCITY_LANG", "zh")
    one = json.loads(hz("premium", "--salary", "60000", "--industry-class", "4", "--date",
                        "2024-06-01", "-f", "json").out)  # fmt: skip
    assert one["rounding"] == "各项按四舍五入计至分（0.01元）；合计为各项取整后之和"
    assert (one["salary"], one["industry_class"]) == ("60000.00", 4)
    childcare = hz("childcare", "--children", "3", "-f", "csv").out
    assert "2023年5月31日宣布“将建立”该补贴制度" in childcare and "Announced" not in childcare
    events = hz("events", "-f", "tsv").out
    assert "惠民票价：80元；票价（二档）：120元" in events
    grant = hz("show", "civil-affairs.school-grant", "-f", "tsv").out
    assert "\t10000\t" in grant and "10,000" not in grant
    english = json.loads(hz("premium", "--salary", "6000", "--industry-class", "4", "--date",
                            "2024-06-01", "-f", "json", "--lang", "en").out)  # fmt: skip
    assert english["rounding"] == "half-up to 0.01 yuan per item; totals are sums of rounded items"


ZH_ERRORS = [
    # (argv, the Chinese error line): said as a clerk writes, values in “…”
    (["premium", "--salary", "6000", "--date", "2023-02-30"],
     "--date：“2023-02-30”该日不存在（2023-02 只有28天）"),
    (["rates", "--date", "2023-13-01"], "--date：“2023-13-01”该日不存在"),
    (["premium", "--salary", "abc", *D], "--salary“abc”不是以元计的金额（应为数字，可带千位"
     "分隔逗号，最多两位小数，如 6000.50 或 6,000.50）"),
    (["facts", "civil-afairs"], "没有主题“civil-afairs”；是否要找 civil-affairs？"),
    (["premium", "--salary", "6000", "--date", "2030-01-01"],
     "2030-01-01没有有效的数值：失业保险单位缴费比例（unemployment-employer-rate；已载明的执行期间："
     "2023-05-01至2024-12-31）、失业保险个人缴费比例（unemployment-individual-rate；已载明的执行"
     "期间：2023-05-01至2024-12-31）、工伤保险费率下调幅度（work-injury-cut；已载明的执行期间："
     "2023-05-01至2024-12-31）。如需按您引用的通知计算，请先生成待填写的参数文件：hzcity rates "
     "--template DIR --date 2030-01-01（见 facts/README.md 中“User parameter files”一节）。"),
]  # fmt: skip


@pytest.mark.parametrize(("args", "line"), ZH_ERRORS, ids=[" ".join(a) for a, _ in ZH_ERRORS])
def test_an_error_reads_as_a_clerk_writes_it(hz, args, line):
    result = hz(*args, "--lang", "zh")
    assert result.code != 0
    assert result.err.splitlines()[-1] == f"hzcity: error: {line}"


def test_the_allowance_note_says_what_this_page_does_not_state(hz):
    """Today is pinned to 2026-12-02: the page states the 2022 standard, none for 2026."""
    err = hz("allowance", "--care", "scattered", "--lang", "zh", "-f", "table").err
    assert err.startswith("hzcity: note: 按2022年公布的标准计算：本版未载明2026年标准；")
    assert "尚无公布" not in err


def test_english_show_prints_the_curators_note(hz):
    out = hz("show", "health.childcare-subsidy", "-f", "table").out
    assert 'The page says the commission "will establish" (将建立) the subsidy system' in out


def test_every_shipped_note_has_its_chinese():
    from hzcity.catalog.model import Catalog
    from hzcity.i18n import translate
    from hzcity.policy.dated import all_parameters

    notes = {f.note for t in Catalog.from_env(None).topics() for f in t.facts if f.note}
    notes |= {v.note for p in all_parameters().values() for v in p.values if v.note}
    assert notes
    assert [n for n in notes if translate(n, "zh", context="curator note") == n] == []


def test_the_progress_bar_speaks_the_users_language():
    from hzcity.i18n import say

    fields = {"rows": "{task.fields[rows]:,}", "rate": "{task.fields[rate]:,.0f}"}
    template = say("hzcity: {rows} rows, {rate}/s", "zh", **fields)
    assert (
        template.format_map({"task": type("T", (), {"fields": {"rows": 8192, "rate": 2101.4}})})
        == "hzcity: 已处理 8,192 行，每秒 2,101 行"
    )


@pytest.mark.parametrize(
    ("argv", "env"),
    [
        (["--lang", "fr", "topics"], None),
        (["topics", "--lang=fr"], "zh"),  # typed: the variable is not to blame
    ],
)
def test_a_bad_language_typed_is_refused(hz, monkeypatch, argv, env):
    if env is not None:
        monkeypatch.setenv("HZCITY_LANG", env)
    result = hz(*argv)
    assert result.code == 2
    last = result.err.splitlines()[-1]
    assert last == "hzcity: error: Invalid value for '--lang': 'fr' is not one of 'zh', 'en'."


@pytest.mark.parametrize(
    ("env", "words"),
    [
        ("zh_CN.UTF-8", "主题"),
        ("zh_CN", "主题"),
        ("zh", "主题"),
        ("en_US", "Topic"),
        ("fr", "Topic"),
    ],
)
def test_hzcity_lang_is_read_as_a_locale_is(hz, monkeypatch, env, words):
    """$HZCITY_LANG=zh_CN (as a locale is written) is Chinese; a language hzcity does not
    have falls through to the locale (here none: English), as an unknown LANG would."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HZCITY_LANG", env)
    result = hz("topics", "--format", "table")
    assert result.code == 0, result.err
    assert words in result.out
