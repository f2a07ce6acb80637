"""The report as a file: Word (``docx``), PDF (``pdf``) or a standalone page (``html``)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.auth.service import Reader
from app.par.docx import to_docx
from app.par.pdf import to_html, to_pdf
from app.par.report import build_report

MEDIA = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
}


def report_file(db: Session, campaign_id: int, reader: Reader, *, file_format: str) -> bytes:
    report = build_report(db, campaign_id, reader)
    if file_format == "docx":
        return to_docx(report)
    if file_format == "pdf":
        return to_pdf(report)
    return to_html(report).encode("utf-8")


def filename(campaign_id: int, file_format: str) -> str:
    return f"bao-cao-chi-so-cchc-dot-{campaign_id}.{file_format}"
