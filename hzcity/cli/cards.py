"""Calculator results as cards for people: labelled fields in --lang, rules as sentences.

JSON, CSV and TSV keep the result's own keys and codes (see render_one).
"""

from typing import TYPE_CHECKING

from hzcity.cli.wording import note_words
from hzcity.i18n import Phrase, said, say
from hzcity.money import yuan
from hzcity.output.render import PEOPLE, Column, Format, render_one

if TYPE_CHECKING:
    from hzcity.calculators.allowance import Allowance, Childcare

ALLOWANCE_FIELDS = ("care", "category", "year", "basis", "monthly_standard", "how", "months",
                    "period_total", "school_grant", "total")  # fmt: skip
ALLOWANCE_AMOUNTS = ("monthly_standard", "period_total", "school_grant", "total")
CHILDCARE_FIELDS = ("children", "months", "per_child_per_month", "monthly_total", "total")

# the fields of a card by key, and the words for the result's codes
FIELDS = {
    "care": Phrase("Care"),
    "category": Phrase("Child"),
    "year": Phrase("Year of the standard"),
    "basis": Phrase("Standard"),
    "monthly_standard": Phrase("Monthly standard"),
    "how": Phrase("Worked out as"),
    "months": Phrase("Months"),
    "period_total": Phrase("Total for the months"),
    "school_grant": Phrase("School grant"),
    "total": Phrase("Total", context="allowance card"),
    "children": Phrase("Children enrolled"),
    "per_child_per_month": Phrase("Per child and month"),
    "monthly_total": Phrase("Per month"),
}
CARE = {
    "institutional": Phrase("institutional care"),
    "scattered": Phrase("scattered (family) care"),
}
CATEGORIES = {
    "orphan": Phrase("orphan"),
    "unsupported": Phrase("de facto unsupported child"),
    "hiv": Phrase("HIV-infected child"),
}
BASES = {"stated": Phrase("stated"), "derived": Phrase("derived"), "projected": Phrase("projected")}


def allowance_card(result: "Allowance", fmt: Format, lang: str) -> None:
    """The allowance of one child: words for the codes, the rules applied below."""
    record = result.as_record()
    if fmt not in PEOPLE:
        render_one(record, fmt)
        return
    shown = record | {
        "care": said(CARE[result.care], lang),
        "category": said(CATEGORIES[result.category], lang),
        "basis": said(BASES[result.standard.basis], lang),
        "school_grant": record["school_grant"] if result.school_years else "",
    }
    fields = _fields(lang, ALLOWANCE_FIELDS, ALLOWANCE_AMOUNTS)
    source = say("source: {reference}", lang, reference=result.standard.reference)
    render_one(shown, fmt, title=say("Basic living allowance", lang), fields=fields,
               caption="\n".join([source, *allowance_rules(result, lang)]))  # fmt: skip


def allowance_rules(result: "Allowance", lang: str) -> list[str]:
    """The rules behind the figures, one sentence each."""
    rules = []
    if result.standard.basis == "derived":
        rules.append(say("the year before the stated standard is worked out from its stated "
                         "increase, which the page rounds: an approximation, not a published "
                         "figure", lang))  # fmt: skip
    rules += allowance_warnings(result, lang)
    if result.grant_rule == "granted":
        rules.append(say("school grant for {n} school year, as the page prints it for de facto "
                         "unsupported children who qualify (符合条件的; the conditions are not "
                         "printed) ({reference})", lang, plural="school grant for {n} school "
                         "years, as the page prints it for de facto unsupported children who "
                         "qualify (符合条件的; the conditions are not printed) ({reference})",
                         n=result.school_years, reference=result.grant_reference))  # fmt: skip
    return rules


def allowance_warnings(result: "Allowance", lang: str) -> list[str]:
    """The rules a script's user is told on stderr: a standard or grant taken by rule."""
    from hzcity.calculators.allowance import SAME_STANDARD_FACT

    warnings = []
    if result.category != "orphan":
        warnings.append(
            say(
                "HIV-infected children and de facto unsupported children are "
                "covered at the orphan standard ({reference})",
                lang,
                reference=SAME_STANDARD_FACT,
            )
        )
    if result.grant_rule == "not-stated-for-category":
        category = said(CATEGORIES[result.category], lang)
        warnings.append(
            say(
                "the page brings de facto unsupported children into the orphans' "
                "school-aid programme (助学工程) on equal terms, so orphans are in it "
                "already, but prints the grant's amount only for de facto "
                "unsupported children who qualify (the conditions are not printed) "
                "({reference}); none added for {category}",
                lang,
                category=category,
                reference=result.grant_reference,
            )
        )
    return warnings


def childcare_card(result: "Childcare", fmt: Format, lang: str) -> None:
    """The subsidy of one institution, with the rule and its standing below."""
    record = result.as_record()
    if fmt not in PEOPLE:  # the curator's note of the rate in the reader's language
        render_one(record | {"note": note_words(result.rate.note, lang)}, fmt)
        return
    rule = say(
        "{amount} yuan a month for each child actually enrolled in an inclusive "
        "childcare institution ({reference})",
        lang,
        amount=yuan(result.per_child_per_month),
        reference=result.rate.reference,
    )
    fields = _fields(lang, CHILDCARE_FIELDS, CHILDCARE_FIELDS[2:5])
    render_one(record, fmt, title=say("Childcare operating subsidy", lang), fields=fields,
               caption="\n".join([rule, *childcare_warnings(result, lang)]))  # fmt: skip


def childcare_warnings(result: "Childcare", lang: str) -> list[str]:
    """What a reader of the amounts must know: an announced rate is not one in force."""
    if result.rate.status != "announced":
        return []
    return [
        say(
            "an announced rate: the page announces this subsidy as a system to be set up "
            "(将建立), not one in force ({reference})",
            lang,
            reference=result.rate.reference,
        )
    ]


def _fields(lang: str, keys: tuple[str, ...], amounts: tuple[str, ...]) -> list[Column]:
    return [Column(key=k, header=said(FIELDS[k], lang), numeric=k in amounts) for k in keys]
