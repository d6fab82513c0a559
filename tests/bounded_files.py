"""Files whose cells become far more text or cells once read than the file is big
(issue 30): each built in a second or two, without holding the text it stands for."""

from __future__ import annotations

import zipfile
from pathlib import Path

from tests.hostile_files import good_spending, rezip

NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
SHEET = "xl/worksheets/sheet1.xml"
SST = "xl/sharedStrings.xml"
SST_RELATION = (
    b'<Relationship Id="rIdSst" Target="sharedStrings.xml" Type="http://schemas.'
    b'openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/>'
)


def _with_strings(path: Path, strings: bytes, rows: bytes) -> Path:
    """A good spending workbook whose sheet gets ``rows`` after its own and whose shared
    strings are ``strings`` (the <si> elements)."""
    good_spending(path)
    return rezip(
        path,
        {
            SHEET: lambda d: d.replace(b"</sheetData>", rows + b"</sheetData>"),
            SST: lambda _: b"<sst " + NS + b">" + strings + b"</sst>",
            "xl/_rels/workbook.xml.rels": lambda d: d.replace(
                b"</Relationships>", SST_RELATION + b"</Relationships>"
            ),
            "[Content_Types].xml": lambda d: d.replace(
                b"</Types>",
                b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
                b'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
            ),
        },
    )


def unused_strings(path: Path, count: int) -> Path:
    """``count`` one-letter shared strings no cell names (20 million: 0.8 MB zipped)."""
    return _with_strings(path, b"<si><t>x</t></si>" * count, b"")


def named_strings(path: Path, strings: list[bytes], indices: list[int]) -> Path:
    """Shared ``strings``, and one cell in column D from row 3 on for each of ``indices``,
    naming that string."""
    rows = b"".join(
        b'<row r="%d"><c r="D%d" t="s"><v>%d</v></c></row>' % (r, r, i)
        for r, i in enumerate(indices, start=3)
    )
    return _with_strings(path, b"".join(b"<si><t>" + t + b"</t></si>" for t in strings), rows)


def one_long_string(path: Path, cells: int, chars: int = 32_767) -> Path:
    """``cells`` cells naming one shared string of ``chars`` characters (200,000 × 32,767:
    6.5 GB of text once read, from a 1 MB file)."""
    return named_strings(path, [b"y" * chars], [0] * cells)


ODS_CONTENT = (
    b'<?xml version="1.0" encoding="UTF-8"?><office:document-content '
    b'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    b'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    b'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
    b'<office:body><office:spreadsheet><table:table table:name="Forbrug">%s</table:table>'
    b"</office:spreadsheet></office:body></office:document-content>"
)
ODS_MANIFEST = (
    b'<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
    b'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
    b'<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.'
    b'opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" '
    b'manifest:media-type="text/xml"/></manifest:manifest>'
)


def ods_repeated_text(path: Path, rows: int, columns: int, chars: int) -> Path:
    """An ODS whose one sheet is one text cell of ``chars`` characters, repeated
    ``columns`` times in a row repeated ``rows`` times."""
    cell = ods_cell(columns, chars)
    row = b'<table:table-row table:number-rows-repeated="%d">%s</table:table-row>' % (rows, cell)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        book.writestr("content.xml", ODS_CONTENT % row)
        book.writestr("META-INF/manifest.xml", ODS_MANIFEST)
    return path


def ods_cell(columns: int, chars: int) -> bytes:
    return (
        b'<table:table-cell table:number-columns-repeated="%d" office:value-type="string">'
        b"<text:p>%s</text:p></table:table-cell>" % (columns, b"z" * chars)
    )


def csv_rows(path: Path, header: str, row: bytes, count: int) -> Path:
    """A UTF-8 csv: ``header``, then ``row`` ``count`` times, written a block at a time."""
    with path.open("wb") as out:
        out.write(header.encode() + b"\n")
        block = 10_000
        for done in range(0, count, block):
            out.write(row * min(block, count - done))
    return path


def xls_one_long_string(path: Path, rows: int, chars: int = 32_767) -> Path:
    """A legacy .xls whose column A names one shared string of ``chars`` characters in
    each of ``rows`` rows (65,536 × 32,767: a 0.6 MB file, 2.1 billion characters)."""
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("Forbrug")
    text = "y" * chars
    for r in range(rows):
        sheet.write(r, 0, text)
    book.save(str(path))
    return path
