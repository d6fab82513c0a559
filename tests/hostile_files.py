"""Deliberately hostile files (issue 11): each built small and fast, for tests and fuzzing.

Run ``python -m tests.hostile_files DIR`` to write them to DIR for a look by hand.
"""

from __future__ import annotations

import shutil
import struct
import sys
import zipfile
import zlib
from pathlib import Path

from openpyxl import Workbook

HEADER = ["Funktion", "Periode", "Beløb"]


def xlsx(path: Path, sheets: dict[str, list[list]]) -> Path:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def good_spending(path: Path, amount: float = 100.0, month: str = "2025-01") -> Path:
    """One row of botilbud spending (5.38.50), the amount as given."""
    return xlsx(path, {"Forbrug": [HEADER, ["5.38.50", month, amount]]})


def patch_sheet(path: Path, change) -> Path:
    """Rewrite the first sheet's XML of an xlsx with ``change(xml_bytes)``."""
    tmp = path.with_name(path.name + ".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = change(data)
            dst.writestr(item.filename, data)
    tmp.replace(path)
    return path


def far_cell(path: Path) -> Path:
    """5 kB: one cell in A1 and one in XFD1048576 (a reader would allocate 512 GiB)."""
    xlsx(path, {"Forbrug": [["x"], [None, 1]]})
    return patch_sheet(
        path,
        lambda d: d.replace(b'<c r="B2"', b'<c r="XFD1048576"').replace(
            b'<row r="2"', b'<row r="1048576"'
        ),
    )


def moved_sheet(path: Path, member: str, target: str, build=far_cell) -> Path:
    """``build``'s sheet stored as ``member`` (not xl/worksheets/sheet1.xml), the
    workbook's relationship pointing at it by ``target`` (absolute or relative to xl/)."""
    build(path)
    tmp = path.with_name(path.name + ".tmp")
    old = "/xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            name = member if item.filename == old[1:] else item.filename
            if item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(f'Target="{old}"'.encode(), f'Target="{target}"'.encode())
            elif item.filename == "[Content_Types].xml":
                data = data.replace(old.encode(), b"/" + member.encode())
            dst.writestr(name, data)
    tmp.replace(path)
    return path


def declared_everything(path: Path) -> Path:
    """A good sheet whose <dimension> claims A1:XFD1048576."""
    good_spending(path)
    return patch_sheet(path, lambda d: d.replace(b'ref="A1:C2"', b'ref="A1:XFD1048576"'))


def cells_without_positions(path: Path, columns: int = 2000) -> Path:
    """One row of cells that name no position: they follow each other to column BXX."""
    good_spending(path)
    cells = b"<c t='n'><v>1</v></c>" * columns
    return patch_sheet(
        path, lambda d: d.replace(b"</sheetData>", b"<row>" + cells + b"</row></sheetData>")
    )


def _zip_entry(name: bytes, data: bytes, crc: int, size: int) -> tuple[bytes, bytes]:
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(data), size,
                        len(name), 0) + name + data  # fmt: skip
    central = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc, len(data),
                          size, len(name), 0, 0, 0, 0, 0, 0) + name  # fmt: skip
    return local, central


def inflating(path: Path, gib: float = 2.5, declared: int | None = None) -> Path:
    """A zip of some kB whose sheet XML inflates to ``gib`` GiB of repeated rows.

    The deflate stream is one sync-flushed block of 1 MiB repeated, so it is built in
    milliseconds; the CRC is not computed (nothing may inflate it to find out)."""
    row = b'<row><c t="n"><v>1</v></c></row>'
    mib = row * (2**20 // len(row))
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = packer.compress(mib) + packer.flush(zlib.Z_SYNC_FLUSH)
    repeats = int(gib * 1024)
    stream = block * repeats + b"\x03\x00"
    size = declared if declared is not None else len(mib) * repeats
    parts = [
        _zip_entry(b"[Content_Types].xml", b"\x03\x00", 0, 0),
        _zip_entry(b"xl/worksheets/sheet1.xml", stream, 0, size),
    ]
    body, directory = b"", b""
    for local, central in parts:
        directory += central[:42] + struct.pack("<I", len(body)) + central[46:]
        body += local
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(parts), len(parts), len(directory),
                      len(body), 0)  # fmt: skip
    path.write_bytes(body + directory + end)
    return path


def ods_repeats(path: Path) -> Path:
    """An ODS whose one filled row is repeated 1,000,000 times, 16,000 cells wide."""
    import pandas as pd

    pd.DataFrame([["a", 1.0]], columns=["x", "y"]).to_excel(path, engine="odf", index=False)
    tmp = path.with_name(path.name + ".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "content.xml":
                data = data.replace(
                    b'<table:table-cell office:value-type="float"',
                    b'<table:table-cell table:number-columns-repeated="16000" '
                    b'office:value-type="float"',
                    1,
                ).replace(
                    b"<table:table-row>", b'<table:table-row table:number-rows-repeated="1000000">'
                )
            dst.writestr(item, data)
    tmp.replace(path)
    return path


CPR_DIGITS = "2311853391"  # 23 November 1985: a real date, so CPR-like


def cpr_text(separator: str = "-") -> str:
    """The CPR-like number, its two parts apart by ``separator``."""
    return CPR_DIGITS[:6] + separator + CPR_DIGITS[6:]


def rezip(path: Path, changes: dict[str, object]) -> Path:
    """Rewrite members of a zip: ``changes`` maps a member to a function of its bytes (a
    new member: of b"")."""
    tmp = path.with_name(path.name + ".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            change = changes.get(item.filename)
            dst.writestr(item.filename, change(data) if change else data)
        for name in set(changes) - set(src.namelist()):
            dst.writestr(name, changes[name](b""))
    tmp.replace(path)
    return path


def cpr_in_part(path: Path, where: str, cpr: str | None = None) -> Path:
    """A good spending workbook (5.38.50, 2025-01, 100 kr.) with a CPR-like number in one
    place outside its cells: ``where`` is a key of ``CPR_PLACES``."""
    from openpyxl import load_workbook
    from openpyxl.comments import Comment
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.worksheet.datavalidation import DataValidation

    cpr = cpr or cpr_text()
    good_spending(path)
    book = load_workbook(path)
    sheet = book["Forbrug"]
    if where == "kommentar":
        sheet["A1"].comment = Comment(f"Borger {cpr}", "Sagsbehandler")
    elif where == "defineret_navn":
        book.defined_names["Borger"] = DefinedName("Borger", attr_text=f'"{cpr}"')
    elif where == "forfatter":
        book.properties.creator = cpr
    elif where == "sidehoved":
        sheet.oddHeader.center.text = f"Borger {cpr}"
    elif where == "link":
        sheet["C2"].hyperlink = f"https://sag.example/borger/{cpr}"
    elif where == "datavalidering":
        check = DataValidation(type="list", formula1=f'"{cpr},Nej"')
        sheet.add_data_validation(check)
        check.add("D2")
    book.save(path)
    escaped = cpr.encode()
    if where == "firma":
        rezip(
            path,
            {
                "docProps/app.xml": lambda d: d.replace(
                    b"</Properties>", b"<Company>" + escaped + b"</Company></Properties>"
                )
            },
        )
    elif where == "ubrugt_tekst":  # a shared strings part no cell refers to
        main = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        kind = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
        rezip(path, {
            "xl/sharedStrings.xml": lambda _: b'<sst xmlns="' + main + b'" count="1" '
            b'uniqueCount="1"><si><t>' + escaped + b"</t></si></sst>",
            "xl/_rels/workbook.xml.rels": lambda d: d.replace(
                b"</Relationships>", b'<Relationship Type="' + kind + b'" '
                b'Target="sharedStrings.xml" Id="rIdS"/></Relationships>'),
            "[Content_Types].xml": lambda d: d.replace(b"</Types>", b'<Override PartName='
                b'"/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
                b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>'),
        })  # fmt: skip
    return path


CPR_PLACES = ["kommentar", "defineret_navn", "forfatter", "firma", "ubrugt_tekst", "sidehoved",
              "link", "datavalidering"]  # fmt: skip


def cpr_in_ods_meta(path: Path) -> Path:
    """A good ODS (5.38.50, 2025-01, 100 kr.) whose author is a CPR-like number."""
    import pandas as pd

    pd.DataFrame([["5.38.50", "2025-01", 100.0]], columns=HEADER).to_excel(
        path, sheet_name="Forbrug", index=False, engine="odf"
    )
    author = b"<dc:creator>" + cpr_text().encode() + b"</dc:creator>"
    return rezip(path, {"meta.xml": lambda d: d.replace(b"</office:meta>", author
                                                        + b"</office:meta>")})  # fmt: skip


def cpr_in_xls_formula(path: Path) -> Path:
    """A legacy .xls (5.38.50, 2025-01, 100 kr.) with a formula whose text is CPR-like:
    xlwt stores no cached value, so no cell shows it; only the raw stream holds it."""
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("Forbrug")
    for r, row in enumerate([HEADER, ["5.38.50", "2025-01", 100]]):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    sheet.write(5, 6, xlwt.Formula(f'"{cpr_text()}"&""'))
    book.save(str(path))
    return path


def csv_bytes(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


GOOD_CSV = "Funktion;Periode;Beløb\n5.38.50;2025-01;1.234,50\n5.38.52;2025-01;-34,50\n"

BUILDERS = {
    "binært_affald.csv": lambda p: csv_bytes(p, bytes(range(256)) * 40),
    "ugyldigt_tegn.csv": lambda p: csv_bytes(p, GOOD_CSV.encode() + b"5.38.50;2025-02;1\x81\n"),
    "utf16.csv": lambda p: csv_bytes(p, GOOD_CSV.encode("utf-16")),
    "utf8_med_et_latin1_tegn.csv": lambda p: csv_bytes(p, GOOD_CSV.encode() + b"5.38.5\xe6;1;1\n"),
    "kæmpecelle.csv": lambda p: csv_bytes(p, GOOD_CSV.encode() + b"5;1;" + b"9" * 140_000),
    "fjern_celle.xlsx": far_cell,
    "ark_andetsteds.xlsx": lambda p: moved_sheet(p, "xl/data/blad1.xml", "/xl/data/blad1.xml"),
    "ark_relativt.xlsx": lambda p: moved_sheet(p, "xl/data/blad1.xml", "data/blad1.xml"),
    "ark_store_bogstaver.xlsx": lambda p: moved_sheet(
        p, "xl/worksheets/sheet1.XML", "worksheets/sheet1.XML"
    ),
    "ark_som_delte_tekster.xlsx": lambda p: moved_sheet(
        p, "xl/sharedStrings.xml", "/xl/sharedStrings.xml"
    ),
    "erklaeret_alt.xlsx": declared_everything,
    "celler_uden_plads.xlsx": cells_without_positions,
    "zipbombe.xlsx": inflating,
    "ods_gentagelser.ods": ods_repeats,
}  # fmt: skip


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "fjendtlige_filer")
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for name, build in BUILDERS.items():
        print(build(target / name))
