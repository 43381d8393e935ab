"""A hostile-workbook corpus, generated here (issue 18, items 3 and 9): damaged sheet XML and
zip bombs, each refused in one line on stderr with exit 2, no traceback, in bounded memory
(the bombs run in a child process limited to 1 GiB of address space)."""

from __future__ import annotations

import json
import os
import resource
import signal
import struct
import subprocess
import sys
import time
import tracemalloc
import zipfile
import zlib
from functools import partial
from pathlib import Path

import pytest

from hzcity.errors import BadInput
from hzcity.payroll.source import open_payroll

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
PARTS = {
    "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas'
    '.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType='
    '"application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
    'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType='
    '"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
    "_rels/.rels": f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets><sheet name="工资表" '
    'sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" '
    f'Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" '
    f'Type="{REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
}
SHARED = f'<sst xmlns="{MAIN}"><si><t>姓名</t></si><si><t>缴费基数</t></si></sst>'
SHEET_HEAD = f'<?xml version="1.0" encoding="UTF-8"?>{{}}<worksheet xmlns="{MAIN}"><sheetData>'
HEADER_ROW = '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
SHEET_TAIL = "</sheetData></worksheet>"
LAUGHS = "<!DOCTYPE w [<!ENTITY l0 \"lol\">" + "".join(
    f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10)) + "]>"  # fmt: skip


def row(name: str = '<c r="A2" t="inlineStr"><is><t>张三</t></is></c>',
        salary: str = '<c r="B2"><v>6000</v></c>', r: str = "2") -> str:  # fmt: skip
    return f'<row r="{r}">{name}{salary}</row>'


def sheet(rows: str, doctype: str = "") -> str:
    return SHEET_HEAD.format(doctype) + HEADER_ROW + rows + SHEET_TAIL


def workbook(path: Path, sheet_xml: str, shared: str = SHARED) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for name, text in PARTS.items():
            book.writestr(name, text)
        book.writestr("xl/sharedStrings.xml", shared)
        book.writestr("xl/worksheets/sheet1.xml", sheet_xml)
    return path


# name -> (the sheet XML, what the one line on stderr says)
DAMAGED = {
    "undefined-entity": (sheet(row(salary='<c r="B2"><v>&bogus;</v></c>')), "B2: empty salary"),
    "billion-laughs": (sheet(row(salary='<c r="B2"><v>&l9;</v></c>'), LAUGHS),
                       "not a readable workbook (xl/worksheets/sheet1.xml: the part declares"),
    "control-characters": (sheet(row(salary='<c r="B2"><v>6000\x01\x02</v></c>')),
                           r"salary '6000\x01\x02' is not an amount"),
    "nan": (sheet(row(salary='<c r="B2"><v>NaN</v></c>')), "B2: the number nan is none"),
    "garbage-v": (sheet(row(salary='<c r="B2"><v>abc</v></c>')), "salary 'abc' is not"),
    "impossible-date": (sheet(row(salary='<c r="B2" t="d"><v>2024-02-30T00:00:00</v></c>')),
                        "salary '2024-02-30T00:00:00' is not"),
    "reference-zzzz99": (sheet(row(name='<c r="ZZZZ99"><v>1</v></c>')),
                         "claims 99 rows x 475254 columns"),
    "reference-far-corner": (sheet(row(name='<c r="XFD1048576"><v>1</v></c>')),
                             "spans 1,048,576 rows x 16,384 columns"),
    "row-x": (sheet(row(r="x")), "not a readable workbook"),
    "shared-index-out-of-range": (sheet(row(name='<c r="A2" t="s"><v>99</v></c>')),
                                  "not a readable workbook"),
    "shared-index-negative": (sheet(row(name='<c r="A2" t="s"><v>-1</v></c>')),
                              "not a readable workbook"),
    "shared-index-not-a-number": (sheet(row(name='<c r="A2" t="s"><v>x</v></c>')),
                                  "not a readable workbook"),
    "5000-digit-salary": (sheet(row(salary=f'<c r="B2"><v>{"9" * 5000}</v></c>')),
                          "B2: the number inf is none"),
    "5000-digit-name": (sheet(row(name=f'<c r="A2"><v>{"9" * 5000}</v></c>')),
                        "A2: the number inf is none"),
}  # fmt: skip


def test_the_corpus_base_is_sound(hz, tmp_path):
    book = workbook(tmp_path / "ok.xlsx", sheet(row()))
    result = hz("premium", "--salaries", str(book), "--industry-class", "4")
    assert result.code == 0 and result.out.splitlines()[1].startswith("张三,6000,6000.00,")


@pytest.mark.parametrize("case", DAMAGED)
def test_a_damaged_sheet_part_is_one_line_and_exit_2(hz, tmp_path, case):
    xml, says = DAMAGED[case]
    book = workbook(tmp_path / f"{case}.xlsx", xml)
    result = hz("premium", "--salaries", str(book), "--industry-class", "4")
    errors = [line for line in result.err.splitlines() if not line.startswith("hzcity: note:")]
    assert result.code == 2 and result.out == ""
    assert len(errors) == 1 and errors[0].startswith("hzcity: error: "), result.err
    assert says in errors[0]


def deflate_spaces(megabytes: int) -> bytes:
    """``megabytes`` MiB of spaces, raw-deflated without compressing them all: after a full
    flush each MiB packs to the same bytes."""
    pack = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = pack.compress(b" " * (1 << 20)) + pack.flush(zlib.Z_FULL_FLUSH)
    again = pack.compress(b" " * (1 << 20)) + pack.flush(zlib.Z_FULL_FLUSH)
    return first + again * (megabytes - 1)


def raw_zip(path: Path, members: list[tuple[str, bytes, int, int]]) -> Path:
    """A zip of raw-deflated ``(name, data, declared size, crc)`` members: the declared
    size is whatever the caller says, true or not."""
    local, central, offset = b"", b"", 0
    for name, data, size, crc in members:
        encoded = name.encode()
        fields = struct.pack("<HHHHHIII", 20, 0, 8, 0, 0, crc, len(data), size)
        head = b"PK\x03\x04" + fields + struct.pack("<HH", len(encoded), 0) + encoded
        central += (b"PK\x01\x02" + struct.pack("<H", 20) + fields
                    + struct.pack("<HHHHHII", len(encoded), 0, 0, 0, 0, 0, offset)
                    + encoded)  # fmt: skip
        local += head + data
        offset += len(head) + len(data)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central),
                      offset, 0)  # fmt: skip
    path.write_bytes(local + central + end)
    return path


def parts(sheet_data: bytes | None = None, sheet_size: int = 0) -> list[tuple[str, bytes, int,
                                                                          int]]:  # fmt: skip
    """The workbook's small parts raw-deflated, and a sheet part as given."""
    made = []
    for name, text in {**PARTS, "xl/sharedStrings.xml": SHARED,
                       "xl/worksheets/sheet1.xml": sheet(row())}.items():  # fmt: skip
        data = text.encode()
        pack = zlib.compressobj(9, zlib.DEFLATED, -15)
        made.append((name, pack.compress(data) + pack.flush(), len(data), zlib.crc32(data)))
    if sheet_data is not None:
        made[-1] = ("xl/worksheets/sheet1.xml", sheet_data, sheet_size, 0)
    return made


def bomb(path: Path, kind: str) -> Path:
    """Zip bombs, each under 1 MB on disk."""
    whitespace = deflate_spaces(900) + zlib.compressobj(9, zlib.DEFLATED, -15).flush()
    if kind == "whitespace-900MB":  # sizes declared truly
        return raw_zip(path, parts(whitespace, 900 << 20))
    if kind == "declared-size-lies":  # the same 900 MB declared as 1 KB
        return raw_zip(path, parts(whitespace, 1 << 10))
    if kind == "shared-strings-40M":  # 40 M tiny entries (680 MB) declared: refused unread
        many = parts()
        pack = zlib.compressobj(9, zlib.DEFLATED, -15)
        data = pack.compress(SHARED.encode()) + pack.flush()
        many[4] = ("xl/sharedStrings.xml", data, 40_000_000 * 17, 0)
        return raw_zip(path, many)
    raise AssertionError(kind)


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


@pytest.mark.parametrize(
    ("kind", "says"),
    [("whitespace-900MB", "unpacks to 943,718,400 bytes from"),
     ("declared-size-lies", "not a readable workbook"),
     ("shared-strings-40M", "above the 268,435,456-byte limit")],
)  # fmt: skip
def test_a_zip_bomb_is_refused_in_bounded_memory(tmp_path, kind, says):
    book = bomb(tmp_path / f"{kind}.xlsx", kind)
    assert book.stat().st_size < 1 << 20
    result = subprocess.run(
        [sys.executable, "-m", "hzcity", "premium", "--salaries", str(book),
         "--industry-class", "4"],
        capture_output=True, text=True, timeout=60, preexec_fn=_limited,
    )  # fmt: skip
    assert (result.returncode, result.stdout) == (2, ""), result.stderr
    errors = [x for x in result.stderr.splitlines() if not x.startswith("hzcity: note:")]
    assert len(errors) == 1 and says in errors[0], result.stderr


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
@pytest.mark.parametrize("suffix", ["xlsx", "csv"])
def test_an_interrupted_output_leaves_nothing_behind(tmp_path, signum, suffix):
    """SIGTERM or SIGHUP during a long --output run (issue 18, item 11): no draft beside the
    target, nothing in $TMPDIR, and a status that says the run failed."""
    work, scratch = tmp_path / "work", tmp_path / "tmp"
    work.mkdir()
    scratch.mkdir()
    payroll = work / "payroll.csv"
    with payroll.open("w", encoding="utf-8") as file:
        file.write("姓名,身份证号,缴费基数\n")
        file.writelines(f"职工{n},{230102198001010000 + n},{6000 + n % 997}.50\n"
                        for n in range(400_000))  # fmt: skip
    target = work / f"answer.{suffix}"
    env = {**os.environ, "TMPDIR": str(scratch), "HZCITY_ENGINE": "python"}
    run = subprocess.Popen([sys.executable, "-m", "hzcity", "premium", "--salaries",
                            str(payroll), "--industry-class", "4", "--output", str(target)],
                           env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
    try:
        # the signal is sent once the hidden draft is being written, not after a guessed time
        while not [p for p in work.iterdir() if p.name.startswith(f".{target.name}.")]:
            assert run.poll() is None, "the run ended before it was interrupted"
            time.sleep(0.01)
        run.send_signal(signum)
        _, err = run.communicate(timeout=60)
    finally:
        run.kill()
    assert run.returncode != 0
    assert sorted(p.name for p in work.iterdir()) == ["payroll.csv"]
    assert list(scratch.iterdir()) == []
    assert b"Traceback" not in err


# Bounding-box bombs under 2 KB (issue 26): each cell is ordinary, the grid calamine would
# allocate from the first to the last is not. name -> (sheet XML, the rels target, says)
FAR = "spans 1,048,576 rows x 16,384 columns"
BOXES = {
    "BL1-and-A1048576": (sheet('<row r="2"><c r="BL1"><v>1</v></c></row><row r="1048576">'
                              '<c r="A1048576"><v>1</v></c></row>'),
                         "", "spans 1,048,576 rows x 64 columns, more than the 33,554,432"),
    "XFD1-and-A600000": (sheet('<row r="2"><c r="XFD1"><v>1</v></c></row><row r="600000">'
                              '<c r="A600000"><v>1</v></c></row>'), "",
                         "spans 600,000 rows x 16,384 columns"),
    "tab-before-r": (sheet(row(name='<c\tr="XFD1048576"><v>1</v></c>')), "", FAR),
    "spaces-around-equals": (sheet(row(name='<c r = "XFD1048576"><v>1</v></c>')), "", FAR),
    "single-quotes": (sheet(row(name="<c r='XFD1048576'><v>1</v></c>")), "", FAR),
    "lowercase": (sheet(row(name='<c r="xfd1048576"><v>1</v></c>')), "", FAR),
    "newline-in-tag": (sheet(row(name='<c\n r="XFD1048576"\n><v>1</v></c>')), "", FAR),
    "rows-without-cell-refs": (sheet('<row r="1048576">' + "<c><v>1</v></c>" * 64 + "</row>"),
                               "", "spans 1,048,576 rows x 64 columns"),
    "rels-target-in-another-case": (sheet(row(name='<c r="XFD1048576"><v>1</v></c>')),
                                    "Worksheets/SHEET1.xml", FAR),
    "absolute-rels-target": (sheet(row(name='<c r="XFD1048576"><v>1</v></c>')),
                             "/xl/worksheets/sheet1.xml", FAR),
    "entity-hiding-a-reference": (sheet(row(name='<c r="XFD1048576"><v>1</v></c>'),
                                        '<!DOCTYPE w [<!ENTITY e "x">]>'),
                                  "", "the part declares entities"),
    # a cell's own r moves calamine's column, never the row of the r-less cells after it
    "an-r-in-another-row": (sheet('<row r="1048576"><c r="A1"><v>1</v></c>'
                                  + "<c><v>1</v></c>" * 64 + "</row>"),
                            "", "spans 1,048,576 rows x 65 columns"),
    # calamine reads a row's r="A1048576" as row 1,048,576
    "a-row-r-with-letters": (sheet('<row r="A1048576">' + "<c><v>1</v></c>" * 64 + "</row>"),
                             "", "spans 1,048,576 rows x 64 columns"),
    # past int()'s 4,300 digits: the parse failed and the part went unbounded (256 GB)
    "a-5000-digit-reference": (sheet(row(name=f'<c r="A{"9" * 5000}"><v>1</v></c>')), "",
                               "claims 1000000000000 rows x 2 columns, beyond Excel's"),
    "a-5000-digit-row": (sheet(f'<row r="{"9" * 5000}"><c><v>1</v></c></row>'), "",
                         "claims 1000000000000 rows x 2 columns, beyond Excel's"),
}  # fmt: skip


def refused(book: Path, address_space: int = 2 << 30) -> str:
    """Run hzcity on ``book`` in a child limited to ``address_space`` bytes: a regression
    fails, the machine lives; the one line it refused with."""
    limit = partial(resource.setrlimit, resource.RLIMIT_AS, (address_space, address_space))
    result = subprocess.run(
        [sys.executable, "-m", "hzcity", "premium", "--salaries", str(book),
         "--industry-class", "4", "--date", "2024-06-01"],
        capture_output=True, text=True, timeout=120, preexec_fn=limit,
    )  # fmt: skip
    assert (result.returncode, result.stdout) == (2, ""), result.stderr
    errors = [x for x in result.stderr.splitlines() if not x.startswith("hzcity: note:")]
    assert len(errors) == 1 and errors[0].startswith("hzcity: error: "), result.stderr
    return errors[0]


@pytest.mark.parametrize("case", BOXES)
def test_a_huge_bounding_box_is_refused_before_calamine_allocates_it(tmp_path, case):
    xml, target, says = BOXES[case]
    book = tmp_path / f"{case}.xlsx"
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in PARTS.items():
            archive.writestr(name, text.replace("worksheets/sheet1.xml", target or
                                                "worksheets/sheet1.xml"))  # fmt: skip
        archive.writestr("xl/sharedStrings.xml", SHARED)
        archive.writestr("xl/" + (target.lstrip("/").removeprefix("xl/") or
                                  "worksheets/sheet1.xml"), xml)  # fmt: skip
    assert book.stat().st_size < 2048
    assert says in refused(book)


def _bad_crc(book: Path, member: str) -> Path:
    """``book`` with the CRC-32 of ``member`` wrong in both its headers."""
    with zipfile.ZipFile(book) as archive:
        crc = struct.pack("<I", archive.getinfo(member).CRC)
    data = book.read_bytes()
    assert data.count(crc) == 2
    book.write_bytes(data.replace(crc, struct.pack("<I", zlib.crc32(b"x") ^ 0xFFFF)))
    return book


def test_a_part_with_a_bad_crc_is_refused_not_left_unbounded(tmp_path):
    """zipfile raises at a bad CRC-32 when it reaches the part's end, and the pre-scan skipped
    such a part as damaged; calamine stops at </sheetData>, never checks it, and allocated
    the bomb (2 GB)."""
    xml = BOXES["BL1-and-A1048576"][0]
    book = _bad_crc(workbook(tmp_path / "crc.xlsx", xml), "xl/worksheets/sheet1.xml")
    assert "crc.xlsx: not a readable workbook (xl/worksheets/sheet1.xml: Bad CRC-32" in (
        refused(book)
    )


def test_an_ods_with_a_bad_crc_is_one_line_not_a_traceback(tmp_path):
    book = _bad_crc(ods(tmp_path / "crc.ods", ODS_HEADER + employees(3)), "content.xml")
    assert "crc.ods: not a readable workbook (content.xml: Bad CRC-32" in refused(book)


def test_a_far_empty_styled_cell_is_no_bomb(hz, tmp_path):
    """Ctrl+End's far corner, a cell formatted and left empty: calamine drops it, so the box
    does not count it either (the byte scan does; past a cap, the parse decides)."""
    xml = sheet(row() + '<row r="1048576"><c r="XFD1048576" s="1"/></row>')
    result = hz("premium", "--salaries", str(workbook(tmp_path / "far.xlsx", xml)),
                "--industry-class", "4", "--date", "2024-06-01")  # fmt: skip
    assert result.code == 0, result.err
    assert result.out.splitlines()[1].startswith("张三,6000,6000.00,")


def test_a_bounded_sheet_spelled_oddly_is_still_read(hz, tmp_path):
    """The parser reads what the byte scan does not: tabs, single quotes, lowercase."""
    xml = sheet("<row r='2'>\n<c\tr='a2' t='inlineStr'><is><t>张三</t></is></c>"
                '<c r = "b2"><v>6000</v></c></row>')  # fmt: skip
    book = workbook(tmp_path / "odd.xlsx", xml)
    result = hz("premium", "--salaries", str(book), "--industry-class", "4")
    assert result.code == 0 and result.out.splitlines()[1].startswith("张三,6000,6000.00,")


OFFICE_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
             'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
             'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')  # fmt: skip


MANIFEST = ('<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:'
            'manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
            'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
            "</manifest:manifest>")  # fmt: skip


def ods(path: Path, *tables: str, prefix: str = "table") -> Path:
    """An .ods of the tables given (each the rows of one table:table), the table namespace
    named by ``prefix``."""
    body = "".join(f'<table:table table:name="表{n}">{rows}</table:table>'
                   for n, rows in enumerate(tables, 1))  # fmt: skip
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {OFFICE_NS} '
               'office:version="1.2"><office:body><office:spreadsheet>'
               f"{body}</office:spreadsheet></office:body></office:document-content>")  # fmt: skip
    for before in ("<", "</", " ", "xmlns:"):
        end = "=" if before == "xmlns:" else ":"
        content = content.replace(f"{before}table{end}", f"{before}{prefix}{end}")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"),
                         "application/vnd.oasis.opendocument.spreadsheet")  # fmt: skip
        archive.writestr("content.xml", content)
        archive.writestr("META-INF/manifest.xml", MANIFEST)
    return path


def text_cell(text: str) -> str:
    return (f'<table:table-cell office:value-type="string"><text:p>{text}</text:p>'
            "</table:table-cell>")  # fmt: skip


def amount(value: int, repeat: int = 1) -> str:
    return (f'<table:table-cell office:value-type="float" office:value="{value}" '
            f'table:number-columns-repeated="{repeat}"><text:p>{value}</text:p>'
            "</table:table-cell>")  # fmt: skip


ODS_HEADER = f"<table:table-row>{text_cell('姓名')}{text_cell('缴费基数')}</table:table-row>"


def employees(count: int) -> str:
    return (f'<table:table-row table:number-rows-repeated="{count}">{text_cell("张三")}'
            f"{amount(6000)}</table:table-row>")  # fmt: skip


# LibreOffice's own run of empty rows and cells to the sheet's edge, which calamine drops
ODS_EDGE = ('<table:table-row table:number-rows-repeated="1048000"><table:table-cell '
            'table:number-columns-repeated="16384"/></table:table-row>')  # fmt: skip


def test_an_ods_of_repeated_cells_is_refused_in_bounded_memory(tmp_path):
    bomb = (f'<table:table-row table:number-rows-repeated="100000">{amount(1, 16384)}'
            "</table:table-row>")  # fmt: skip
    book = ods(tmp_path / "repeated.ods", ODS_HEADER + employees(3), bomb)
    assert book.stat().st_size < 1024
    assert "sheet '表2' spans 100,000 rows x 16,384 columns" in refused(book)


def test_an_ods_naming_the_table_namespace_otherwise_is_still_bounded(tmp_path):
    """A prefix other than table: is read through namespace lookup, not by its name."""
    bomb = (f'<table:table-row table:number-rows-repeated="100000">{amount(1, 16384)}'
            "</table:table-row>")  # fmt: skip
    book = ods(tmp_path / "prefixed.ods", ODS_HEADER + employees(3), bomb, prefix="t")
    assert b"<t:table-row" in zipfile.ZipFile(book).read("content.xml")
    assert "sheet '表2' spans 100,000 rows x 16,384 columns" in refused(book)


def test_an_ods_longer_than_a_workbook_is_read_is_refused_not_cut(tmp_path):
    """2,000,000 employees answered 'rows: 1048575', exit 0: the rest dropped unsaid."""
    book = ods(tmp_path / "long.ods", ODS_HEADER + employees(2_000_000))
    assert book.stat().st_size < 1024
    assert "sheet '表1' holds 2,000,001 rows; a workbook sheet is read up to row 1,048,576" in (
        refused(book)
    )


def test_an_ods_with_libreoffice_s_empty_edge_is_read(hz, tmp_path):
    book = ods(tmp_path / "edge.ods", ODS_HEADER + employees(3) + ODS_EDGE)
    result = hz("premium", "--salaries", str(book), "--industry-class", "4", "--date",
                "2024-06-01", "--format", "json")  # fmt: skip
    assert result.code == 0, result.err
    assert [row["total"] for row in json.loads(result.out)] == ["87.00"] * 3


def test_an_xls_cell_past_biff_s_grid_is_refused_before_calamine_reads_it(tmp_path):
    """One LABELSST record of the clerk's .xls moved to row 65536, column 16384: calamine
    aborted the process allocating that grid; xlrd bounds every sheet first."""
    book = clerk_xls_with_a_cell_at(tmp_path / "far.xls", 65535, 16383)
    assert "far.xls: an encrypted (password-protected) workbook or a damaged .xls" in (
        refused(book)
    )


def clerk_xls_with_a_cell_at(path: Path, row: int, column: int) -> Path:
    """The clerk's .xls (LibreOffice wrote it) with the first text cell of its first sheet
    moved to ``row`` and ``column`` (0-based)."""
    data = bytearray((Path(__file__).parent / "fixtures" / "clerk.xls").read_bytes())
    record = data.find(b"\xfd\x00\x0a\x00")  # LABELSST, 10 bytes: row, column, xf, index
    data[record + 4 : record + 8] = struct.pack("<HH", row, column)
    path.write_bytes(bytes(data))
    return path


# A few cells far apart, inside the flat cap of 2^25 cells that was the only bound: calamine
# allocated its grid whole, 1.05 GB from a 1.7 KB .xlsx, 1.24 GB from a 5.6 KB .xls (xlrd
# padding each row to the widest first), 2.07 GB from an 860-byte .ods. Past 2^23 cells a box
# is read only if one cell in 8 holds a value; a repeated .ods run is one cell, as written.
SPARSE = "a sheet spanning more than 8,388,608 cells is read only if at least one cell in 8"
FAR_ODS_CELL = ('<table:table-row table:number-rows-repeated="2045"><table:table-cell/>'
                '</table:table-row><table:table-row><table:table-cell '
                'table:number-columns-repeated="16383"/>{}</table:table-row>')  # fmt: skip


def sparse_bomb(path: Path, kind: str) -> Path:
    """A workbook of a few cells whose box is 2^25 cells (16.7 M for an .xls, BIFF's most)."""
    if kind == "xlsx-A1-and-XFD2048":
        return workbook(path, sheet(row() + '<row r="2048"><c r="XFD2048"><v>1</v></c></row>'))
    if kind == "xls-IV65536":
        return clerk_xls_with_a_cell_at(path, 65535, 255)
    if kind == "ods-A1-and-XFD2048":
        return ods(path, ODS_HEADER + employees(1) + FAR_ODS_CELL.format(amount(1)))
    if kind == "ods-one-cell-repeated":
        return ods(path, ODS_HEADER + employees(3),
                   f'<table:table-row table:number-rows-repeated="2048">{amount(1, 16384)}'
                   "</table:table-row>")  # fmt: skip
    raise AssertionError(kind)


@pytest.mark.parametrize(
    ("kind", "says"),
    [("xlsx-A1-and-XFD2048", "sheet '工资表' spans 2,048 rows x 16,384 columns and holds 5 cells"),
     ("xls-IV65536", "sheet '工资表' spans 65,536 rows x 256 columns and holds 33 cells"),
     ("ods-A1-and-XFD2048", "sheet '表1' spans 2,048 rows x 16,384 columns and holds 5 cells"),
     ("ods-one-cell-repeated",
      "sheet '表2' spans 2,048 rows x 16,384 columns and holds 1 cell;")],
)  # fmt: skip
def test_a_sparse_box_is_refused_in_half_a_gib(tmp_path, kind, says):
    book = sparse_bomb(tmp_path / f"{kind}.{kind.partition('-')[0]}", kind)
    assert book.stat().st_size < 8 << 10
    line = refused(book, address_space=512 << 20)
    assert says in line and SPARSE in line, line


def test_an_xls_far_cell_is_refused_before_xlrd_pads_every_row(tmp_path):
    """xlrd pads each row to the sheet's widest unless told to keep them ragged: one cell at
    IV65536 made 16.7 M cells in Python lists (192 MB traced, 16 MB ragged) before the bound
    was checked."""
    book = clerk_xls_with_a_cell_at(tmp_path / "far.xls", 65535, 255)
    tracemalloc.start()
    try:
        with pytest.raises(BadInput, match="spans 65,536 rows x 256 columns and holds 33 cells"):
            open_payroll(str(book))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 48 << 20


@pytest.mark.slow
def test_a_dense_sheet_past_the_sparse_cap_is_read(tmp_path):
    """838,861 rows x 10 columns, every cell a value: 2^23 + 2 cells, read whole (peak
    0.7 GB, 15 s), its total the sum of its rows."""
    rows, columns = 838_861, "ABCDEFGHIJ"
    named = "".join(f'<c r="{c}1" t="inlineStr"><is><t>项目{c}</t></is></c>' for c in columns[2:])
    head = HEADER_ROW.replace("</row>", named + "</row>")
    rest = "".join(f'<c r="{c}{{0}}"><v>{i}</v></c>' for i, c in enumerate(columns[2:], 1))
    line = '<row r="{0}"><c r="A{0}"><v>{0}</v></c><c r="B{0}"><v>6000</v></c>' + rest + "</row>"
    xml = SHEET_HEAD.format("") + head + "".join(map(line.format, range(2, rows + 1)))
    book = workbook(tmp_path / "dense.xlsx", xml + SHEET_TAIL)
    assert rows * len(columns) > 1 << 23
    result = subprocess.run(
        [sys.executable, "-m", "hzcity", "premium", "--salaries", str(book),
         "--industry-class", "4", "--date", "2024-06-01"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert f"rows: {rows - 1}, bad rows skipped: 0; totals: " in result.stderr
    assert result.stderr.rstrip().endswith(f"total={87 * (rows - 1)}.00")
