"""A user parameter file to fill in: the parameters a calculation needs, one window from a
day to the end of its year, empty values and reference, comments in the user's language.

Left unfilled, it fails ``hzcity validate`` at each empty value and title (file:line);
filled in from a notice, ``premium`` uses it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from hzcity.errors import BadInput, os_reason
from hzcity.i18n import Phrase, said, say
from hzcity.loader import PARAMETERS_DIR
from hzcity.output.files import Draft
from hzcity.policy.dated import TEMPLATED, Parameter, Parameters, parameter
from hzcity.policy.user import BOUNDS, KNOWN
from hzcity.schemas import schema_file


def template(params: Parameters, names: Sequence[str], start: date, lang: str) -> str:
    """The YAML text of a template for ``names`` (premium's, and its optional bounds, when
    none), its window ``start`` to 31 December of that year."""
    end = date(start.year, 12, 31)
    lines = [
        f"# yaml-language-server: $schema={schema_file('user-parameters').as_uri()}",
        *_comment(
            say(
                "Rates from a notice you cite, for hzcity (hzcity premium reads them "
                "with\n"
                "--facts-dir DIR). Fill in every value, as a decimal number in quotes "
                '("0.5" for\n'
                "0.5%), and the notice: its title as printed, its document number, and "
                "its address\n"
                "if it is online. Set start and end ({start} to {end} now) to the window "
                "the notice\n"
                "gives. Check the file with: hzcity validate DIR",
                lang,
                start=start,
                end=end,
            )
        ),
    ]
    for name in names or TEMPLATED:
        param = parameter(name, params)
        lines += ["", *_block(param, start, end, lang)]
    if not names:
        lines += [
            "",
            *_comment(
                say(
                    "Optional: the contribution-base floor and ceiling, if the "
                    "notice sets them\n"
                    "(remove the # of each line to use them).",
                    lang,
                )
            ),
        ]
        for name in BOUNDS:
            lines += [f"# {line}" for line in _block(KNOWN[name], start, end, lang)]
    return "\n".join(lines) + "\n"


# how a unit's value is written in the file, by unit, or by parameter where the unit's
# example would mislead (a cut of "0.5" is not by half)
UNIT_EXAMPLES = {
    "percent": Phrase('percent: "0.5" is 0.5%'),
    "work-injury-cut": Phrase('percent: "50" is a cut by half'),
    "yuan/month": Phrase("yuan a month"),
    "yuan/person/month": Phrase("yuan a person and month"),
    "yuan/person/school-year": Phrase("yuan a person and school year"),
}


def _block(param: Parameter, start: date, end: date, lang: str) -> list[str]:
    """One parameter: what it is, then one window with empty value and reference."""
    label = param.label_zh if lang == "zh" else param.label_en
    unit = said(UNIT_EXAMPLES.get(param.name) or UNIT_EXAMPLES[param.unit], lang)
    classes = sorted(param.values[-1].by_class) if param.values else []
    if classes:
        value = ["      by_class: {" + ", ".join(f'{k}: ""' for k in classes) + "}"]
    else:
        value = ['      value: ""']
    title = say("the notice's title, as printed", lang)
    return [
        f"{param.name}:",
        "  # " + say("{label} ({unit})", lang, context="template", label=label, unit=unit),
        "  values:",
        f'    - start: "{start.isoformat()}"',
        f'      end: "{end.isoformat()}"',
        *value,
        "      reference:",
        f'        title: ""  # {title}',
        f'        document: ""  # {say("its document number, if any", lang)}',
        f"        # url: https://  {say('(optional) where it is published', lang)}",
    ]


def _comment(text: str) -> list[str]:
    return [f"# {line}".rstrip() for line in text.splitlines()]


def write_template(root: Path, text: str, start: date) -> Path:
    """``text`` written as ROOT/parameters/rates-START.yaml (folders made), never over a
    file that exists, all or nothing: a full disk leaves no empty file to block the next run."""
    target = root / PARAMETERS_DIR / f"rates-{start.isoformat()}.yaml"
    if target.exists():
        raise BadInput(
            Phrase("{path} exists; move it away or name another directory", path=str(target)),
            field="template",
        )
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with Draft(target, replace=False) as draft:
            draft.path.write_text(text, encoding="utf-8")
            draft.commit()
    except OSError as exc:
        raise BadInput(
            Phrase("{path}: cannot write: {why}", path=str(target), why=os_reason(exc))
        ) from None
    return target
