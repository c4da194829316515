"""The action log as a Word document laid out like a council meeting-pack paper."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from handlers.export_rows import COLUMNS, RAG_LABEL, LogRow

# cell fill per RAG status (hex RGB, as Word stores it)
RAG_FILL = {
    "red": "FF0000",
    "amber": "FFC000",
    "green": "00B050",
    "done": "D9D9D9",
    "none": "FFFFFF",
}
HEADER_FILL = "1F3864"
_WIDTHS_CM = (1.6, 10.0, 4.2, 2.6, 3.2, 5.4)


def shade(cell: Any, fill: str) -> None:
    """Fill a table cell with a solid colour (``fill`` is hex RGB)."""
    props = cell._tc.get_or_add_tcPr()
    for old in props.findall(qn("w:shd")):
        props.remove(old)
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    props.append(shd)


def _repeat_header(row: Any) -> None:
    props = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    props.append(flag)


def _write(cell: Any, text: str, *, bold: bool = False, white: bool = False) -> None:
    cell.text = ""
    run = cell.paragraphs[0].add_run(text)
    run.bold = bold
    run.font.size = Pt(9.5)
    if white:
        run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)


def _landscape(document: Any) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5))


def docx_bytes(log: Sequence[LogRow], title: str, subtitle: str) -> bytes:
    """A .docx: title heading, the meeting/produced line, and a table with RAG cell shading."""
    document = Document()
    _landscape(document)
    document.styles["Normal"].font.name = "Arial"
    document.styles["Normal"].font.size = Pt(10)
    document.add_heading(title, level=1)
    document.add_paragraph(subtitle)
    if not log:
        document.add_paragraph("No actions.")
    else:
        _table(document, log)
    document.add_paragraph(
        "RAG: Red overdue · Amber due within 7 days · Green on track · Grey done or cancelled"
    ).runs[0].font.size = Pt(8)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _table(document: Any, log: Sequence[LogRow]) -> None:
    table = document.add_table(rows=1, cols=len(COLUMNS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    header = table.rows[0]
    _repeat_header(header)
    for cell, name in zip(header.cells, COLUMNS, strict=True):
        _write(cell, name, bold=True, white=True)
        shade(cell, HEADER_FILL)
    for entry in log:
        cells = table.add_row().cells
        for cell, text in zip(cells, entry.cells(), strict=True):
            _write(cell, text)
        status = cells[COLUMNS.index("Status")]
        _write(status, f"{entry.status} ({RAG_LABEL[entry.rag]})", bold=entry.rag == "red")
        shade(status, RAG_FILL[entry.rag])
    for row in table.rows:
        for cell, width in zip(row.cells, _WIDTHS_CM, strict=True):
            cell.width = Cm(width)
