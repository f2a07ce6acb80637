"""A surveyor's list as a printable A4 page (the staff page and ``sipas sample export``)."""

from __future__ import annotations

from app.fieldwork import exports
from app.fieldwork.schemas import ListRow, SurveyorRead
from app.pages.shared.templates import templates


def printable_list(surveyor: SurveyorRead, sample_id: int, rows: list[ListRow]) -> str:
    header, cells = exports.table(rows)
    return templates.env.get_template("staff/surveyor_list.html").render(
        surveyor=surveyor, sample_id=sample_id, header=header, rows=cells
    )
