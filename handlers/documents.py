"""Reading uploaded minutes (.txt, .md, .docx) into plain text for the action extractor."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path, PurePath

from handlers.limits import MAX_UNPACKED_BYTES, MAX_UPLOAD_BYTES, megabytes

__all__ = ["DocumentError", "is_readable", "read_document", "read_path"]

_TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
_WORD_SUFFIXES = {".docx"}


def is_readable(filename: str) -> bool:
    """Whether ``filename`` is a kind of document :func:`read_document` reads."""
    return PurePath(filename).suffix.lower() in _TEXT_SUFFIXES | _WORD_SUFFIXES


class DocumentError(Exception):
    """A document that cannot be read; the message is one line fit to show the user."""


def _decode(data: bytes, name: str) -> str:
    if b"\x00" in data[:4096]:
        raise DocumentError(f"cannot read {name}: it is not a text file")
    for encoding in ("utf-8-sig", "utf-8"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("cp1252", errors="replace")


def _cell_text(cell: object) -> str:
    text = getattr(cell, "text", "")
    return " ".join(str(text).split())


def _table_lines(table: object) -> list[str]:
    """One tab-separated line per row; a merged cell is written once."""
    lines = []
    for row in getattr(table, "rows", []):
        cells, seen = [], set()
        for cell in row.cells:
            key = id(getattr(cell, "_tc", cell))
            if key in seen:
                continue
            seen.add(key)
            cells.append(_cell_text(cell))
        if any(cells):
            lines.append("\t".join(cells))
    return lines


def _check_unpacked_size(data: bytes, name: str) -> None:
    """Refuse a Word file that would unpack to more than we are willing to read."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            unpacked = sum(info.file_size for info in package.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise DocumentError(f"cannot read {name}: not a Word document") from error
    if unpacked > MAX_UNPACKED_BYTES:
        raise DocumentError(f"cannot read {name}: the document is too large to read")


def _read_docx(data: bytes, name: str) -> str:
    import docx  # python-docx; imported here so plain-text users never pay for it
    from docx.table import Table

    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise DocumentError(f"cannot read {name}: not a Word document")
    _check_unpacked_size(data, name)
    try:
        document = docx.Document(io.BytesIO(data))
        lines: list[str] = []
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                lines.extend(_table_lines(block))
            else:
                lines.append(block.text)
    except DocumentError:
        raise
    except Exception as error:  # python-docx raises many kinds for a damaged package
        raise DocumentError(f"cannot read {name}: not a Word document") from error
    return "\n".join(lines)


def read_document(data: bytes, filename: str) -> str:
    """The text of an uploaded document: .txt/.md decoded (UTF-8, UTF-8 with BOM, then
    Windows-1252), .docx as its paragraphs in order with each table row as one tab-separated
    line. Raises DocumentError with a one-line message for anything it cannot read."""
    name = PurePath(filename).name or "the file"
    suffix = PurePath(filename).suffix.lower()
    if len(data) > MAX_UPLOAD_BYTES:
        raise DocumentError(
            f"cannot read {name}: it is {megabytes(len(data))}, over the "
            f"{megabytes(MAX_UPLOAD_BYTES)} limit for minutes files"
        )
    if suffix in _TEXT_SUFFIXES:
        text = _decode(data, name)
    elif suffix in _WORD_SUFFIXES:
        text = _read_docx(data, name)
    elif suffix == ".doc":
        raise DocumentError(
            f"cannot read {name}: old Word (.doc) files are not supported; save it as .docx"
        )
    else:
        shown = suffix or "no extension"
        raise DocumentError(
            f"cannot read {name}: unsupported file type ({shown}); use .txt, .md or .docx"
        )
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_path(path: str | Path) -> str:
    """The text of a document on disk (see read_document)."""
    file = Path(path)
    try:
        data = file.read_bytes()
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise DocumentError(f"cannot read {file.name}: {reason.lower()}") from error
    return read_document(data, file.name)
