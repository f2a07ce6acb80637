"""The report as PDF: an HTML rendering of the same blocks, laid out by WeasyPrint.

WeasyPrint (BSD, well kept) lays out HTML and CSS without a browser; it needs Pango
from the system (Debian ``libpango-1.0-0``, ``libpangoft2-1.0-0``, installed by
``scripts/install-system-deps.sh``) and a font with Vietnamese letters (DejaVu).
"""

from __future__ import annotations

import base64
from html import escape

from app.par.report import Figure, Heading, Paragraph, Report, Table

CSS = """
@page { size: A4; margin: 2cm 1.5cm 2cm 2.5cm;
        @bottom-center { content: counter(page); font-size: 9pt; } }
body { font-family: "Times New Roman", "DejaVu Serif", serif; font-size: 12pt; }
h1.title { text-align: center; font-size: 15pt; }
p.subtitle, p.caption { font-style: italic; }
p.caption { text-align: center; font-size: 10pt; }
table { border-collapse: collapse; width: 100%; margin: 4pt 0 10pt; font-size: 8.5pt; }
th, td { border: 0.5pt solid #333; padding: 2pt 3pt; }
th { background: #eee; }
td:nth-child(n+3) { text-align: right; }
img { width: 16cm; display: block; margin: 6pt auto 0; }
"""


def _block(block: Heading | Paragraph | Table | Figure) -> str:
    if isinstance(block, Heading):
        level = min(block.level + 1, 6)
        return f"<h{level}>{escape(block.text)}</h{level}>"
    if isinstance(block, Paragraph):
        return f"<p>{escape(block.text)}</p>"
    if isinstance(block, Table):
        head = "".join(f"<th>{escape(h)}</th>" for h in block.header)
        body = "".join(
            "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in block.rows
        )
        return (
            f'<p class="caption">{escape(block.caption)}</p>'
            f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
        )
    picture = base64.b64encode(block.png).decode("ascii")
    return (
        f'<img src="data:image/png;base64,{picture}" alt="{escape(block.caption)}">'
        f'<p class="caption">{escape(block.caption)}</p>'
    )


def to_html(report: Report) -> str:
    """A standalone HTML page of the report (no external resources)."""
    body = "".join(_block(b) for b in report.blocks)
    return (
        f'<!doctype html><html lang="vi"><head><meta charset="utf-8">'
        f"<title>{escape(report.title)}</title><style>{CSS}</style></head><body>"
        f'<h1 class="title">{escape(report.title)}</h1>'
        f'<p class="subtitle">{escape(report.subtitle)}</p>{body}</body></html>'
    )


def to_pdf(report: Report) -> bytes:
    from weasyprint import HTML

    pdf: bytes = HTML(string=to_html(report)).write_pdf()
    return pdf
