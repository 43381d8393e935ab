"""What the code's keys are called: the headers of columns and the names of premium items
and payroll columns, as English message ids (their Chinese is in the catalog), and the
numerals of industry classes."""

from __future__ import annotations

from hzcity.i18n import Given, Phrase

# a column's header by its key, and a premium item's name (a row in `premium`, a column of
# the classes side by side, a row of a payroll answer's rates sheet)
HEADERS = {
    "id": Phrase("ID"),
    "label": Phrase("Indicator"),
    "shown": Phrase("Value"),
    "shown_kind": Phrase("Kind"),
    "period": Phrase("Period"),
    "topic": Phrase("Topic"),
    "title": Phrase("Title"),
    "facts": Phrase("Facts"),
    "source": Phrase("Source article"),
    "date": Phrase("Date"),
    "time": Phrase("Time"),
    "end": Phrase("Until"),
    "place": Phrase("Place"),
    "item": Phrase("Item"),
    "rate": Phrase("Rate"),
    "yuan": Phrase("Yuan"),
    "window": Phrase("In force"),
    "reference": Phrase("Reference"),
    "industry_class": Phrase("Class"),
    "work_injury_current_rate": Phrase("Current %"),
    "work_injury_reduced_rate": Phrase("Reduced %"),
    "year": Phrase("Year"),
    "monthly_standard": Phrase("Yuan/month"),
    "basis": Phrase("Basis"),
    "name": Phrase("Parameter"),
    "start": Phrase("From"),
    "value": Phrase("Value"),
    "quote": Phrase("Quote"),
    "note": Phrase("Note"),
    "stated_by": Phrase("Stated by"),
    "page": Phrase("Page"),
    "base": Phrase("Normalised"),
    "contribution_base": Phrase("Contribution base"),
    "unemployment_employer": Phrase("Unemployment, employer"),
    "unemployment_individual": Phrase("Unemployment, individual"),
    "work_injury_employer": Phrase("Work injury, employer"),
    "work_injury_saving": Phrase("Saved by the cut"),
    "employer_total": Phrase("Employer total"),
    "individual_total": Phrase("Individual total"),
    "total": Phrase("Total"),
}

# the columns a payroll answer adds before the amounts: each row's month and the day its
# rates are of (priced by month), the sheet it came from (--sheet all)
ADDED_COLUMNS = {
    "month": Phrase("Month", context="column"),
    "date": Phrase("Date of the rates", context="column"),
    "sheet": Phrase("Sheet", context="column"),
}

# a payroll's computed columns as notes name them: their keys in English, the clerk's terms
# in Chinese
PAYROLL_COLUMNS = {
    "contribution_base": Phrase("contribution_base"),
    "unemployment_employer": Phrase("unemployment_employer"),
    "unemployment_individual": Phrase("unemployment_individual"),
    "work_injury_employer": Phrase("work_injury_employer"),
    "work_injury_saving": Phrase("work_injury_saving"),
    "employer_total": Phrase("employer_total"),
    "individual_total": Phrase("individual_total"),
    "total": Phrase("total"),
}

# the headers of the computed columns in an answer written for people (.xlsx, .csv for Excel)
# and in its month totals: the premium table's words in English, the clerk's terms in Chinese
ANSWER_COLUMNS = {
    # not the clerk's own 缴费基数 column, which it would meet: the base charged, after bounds
    "contribution_base": Phrase("Contribution base", context="payroll column"),
    "unemployment_employer": Phrase("Unemployment, employer", context="payroll column"),
    "unemployment_individual": Phrase("Unemployment, individual", context="payroll column"),
    "work_injury_employer": Phrase("Work injury, employer", context="payroll column"),
    "work_injury_saving": Phrase("Saved by the cut", context="payroll column"),
    "employer_total": Phrase("Employer total"),
    "individual_total": Phrase("Individual total"),
    "total": Phrase("Total"),
}

NUMERALS = "〇一二三四五六七八九"  # an industry class (1 to 8) as a clerk writes it: 四类


def class_numeral(number: int) -> Given:
    """An industry class's number as each language writes it: 4, and 四 (of 四类) where
    there is one numeral for it."""
    zh = NUMERALS[number] if 0 <= number < len(NUMERALS) else str(number)
    return Given(en=str(number), zh=zh)


def class_name(number: int) -> Phrase:
    """An industry class in a table's cell: 4 in English, 四类 in Chinese."""
    return Phrase("{number}", context="industry class", number=class_numeral(number))
