"""What the Word documents (python-docx) share: the document's language for spell checking, a
table's header row repeated on every page, a shaded cell, and the bytes of a document.
python-docx is imported inside the functions: only the documents' downloads load it."""

import io


def set_language(document, tag: str) -> None:
    """Mark the Normal style's language (spell checking in Word)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rpr = document.styles["Normal"].element.get_or_add_rPr()
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), tag)


def repeat_as_header(row) -> None:
    """Repeat a table's row at the top of every page the table runs over."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def shade(cell, color: str) -> None:
    """Fill a table cell with ``color`` (hexadecimal RGB, no ``#``)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), color)
    cell._tc.get_or_add_tcPr().append(shading)


def to_bytes(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
