"""Reading uploaded minutes: text encodings, Word files with tables, and clean refusals."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import docx
import pytest

from handlers.documents import DocumentError, read_document, read_path
from handlers.extraction import extract_actions


def _word_file() -> bytes:
    document = docx.Document()
    document.add_heading("Safer Borough Partnership", level=1)
    document.add_paragraph("Minutes of the meeting held on 18 September 2018")
    document.add_paragraph("ACTION: Fiona Taylor to liaise with Tom Hook by end of month.")
    table = document.add_table(rows=3, cols=4)
    for row, cells in zip(table.rows, [
        ("Ref", "Action", "Lead", "Due"),
        ("3.2.1", "Ensure victim ethnicity is recorded", "Police", "30 November"),
        ("3.2.4", "Tighten recording at A&E", "A&E", "end of month"),
    ], strict=True):  # fmt: skip
        for cell, value in zip(row.cells, cells, strict=True):
            cell.text = value
    document.add_paragraph("Date of next meeting: 20 November 2018")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_word_paragraphs_in_order_and_tables_as_tab_separated_rows() -> None:
    text = read_document(_word_file(), "minutes.docx")
    assert text.splitlines() == [
        "Safer Borough Partnership",
        "Minutes of the meeting held on 18 September 2018",
        "ACTION: Fiona Taylor to liaise with Tom Hook by end of month.",
        "Ref\tAction\tLead\tDue",
        "3.2.1\tEnsure victim ethnicity is recorded\tPolice\t30 November",
        "3.2.4\tTighten recording at A&E\tA&E\tend of month",
        "Date of next meeting: 20 November 2018",
    ]


def test_the_extractor_finds_the_owner_column_of_a_word_table() -> None:
    text = read_document(_word_file(), "Minutes.DOCX")
    found = extract_actions(text, meeting_date=dt.date(2018, 9, 18))
    assert [(a.line, a.owners, a.due_date) for a in found] == [
        (3, ("Fiona Taylor",), dt.date(2018, 9, 30)),
        (5, ("Police",), dt.date(2018, 11, 30)),
        (6, ("A&E",), dt.date(2018, 9, 30)),
    ]


def test_a_merged_table_cell_is_written_once() -> None:
    document = docx.Document()
    table = document.add_table(rows=1, cols=3)
    merged = table.rows[0].cells[0].merge(table.rows[0].cells[1])
    merged.text = "Review the TOR"
    table.rows[0].cells[2].text = "Clerk"
    out = io.BytesIO()
    document.save(out)
    assert read_document(out.getvalue(), "m.docx").splitlines() == ["Review the TOR\tClerk"]


@pytest.mark.parametrize(
    ("data", "text"),
    [
        ("ACTION: Clerk to chase – café".encode(), "ACTION: Clerk to chase – café"),
        ("\ufeffACTION: Clerk to chase".encode(), "ACTION: Clerk to chase"),
        (b"ACTION: Clerk to chase \x96 caf\xe9", "ACTION: Clerk to chase – café"),
        (b"one\r\ntwo\rthree", "one\ntwo\nthree"),
        (b"", ""),
    ],
    ids=["utf-8", "utf-8-bom", "cp1252", "line-endings", "empty"],
)
def test_text_files_in_any_usual_encoding(data: bytes, text: str) -> None:
    assert read_document(data, "minutes.txt") == text
    assert read_document(data, "notes.md") == text


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"PK\x03\x04 not really a zip", "minutes.docx", "cannot read minutes.docx: not a Word "
                                                         "document"),
        (b"just some text", "minutes.docx", "cannot read minutes.docx: not a Word document"),
        (b"\xd0\xcf\x11\xe0" * 20, "old.doc", "cannot read old.doc: old Word (.doc) files are "
                                              "not supported; save it as .docx"),
        (b"%PDF-1.4", "minutes.pdf", "cannot read minutes.pdf: unsupported file type (.pdf); "
                                     "use .txt, .md or .docx"),
        (b"text", "minutes", "cannot read minutes: unsupported file type (no extension); use "
                             ".txt, .md or .docx"),
        (b"\x00\x01\x02binary", "minutes.txt", "cannot read minutes.txt: it is not a text file"),
    ],
)  # fmt: skip
def test_unreadable_files_give_one_clear_line(data: bytes, filename: str, message: str) -> None:
    with pytest.raises(DocumentError) as refused:
        read_document(data, filename)
    assert str(refused.value) == message
    assert "\n" not in str(refused.value)


def test_a_truncated_word_file_is_refused() -> None:
    data = _word_file()
    with pytest.raises(DocumentError, match="not a Word document"):
        read_document(data[: len(data) // 2], "minutes.docx")


def test_read_path(tmp_path: Path) -> None:
    file = tmp_path / "minutes.docx"
    file.write_bytes(_word_file())
    assert read_path(file).startswith("Safer Borough Partnership\n")
    assert read_path(str(file)) == read_document(_word_file(), "minutes.docx")
    with pytest.raises(DocumentError, match=r"^cannot read missing\.txt: "):
        read_path(tmp_path / "missing.txt")
