"""Questionnaires as XLSForm (ODK, KoboToolbox) spreadsheets, out and back in.

:func:`to_xlsform` writes a questionnaire; :func:`from_xlsform` reads one, whether
written here or made in another tool, and refuses (:class:`XLSFormError`, every
problem with its sheet and row) what a questionnaire cannot hold.
``from_xlsform(to_xlsform(q)) == q`` for every questionnaire. The mapping is
documented in ``questionnaires/FORMAT.md``. Pure: bytes and workbooks in and out.
"""

from questionnaires.xlsform.common import XLSFormError, XLSFormProblem
from questionnaires.xlsform.reader import from_workbook, from_xlsform
from questionnaires.xlsform.writer import to_workbook, to_xlsform

__all__ = [
    "XLSFormError",
    "XLSFormProblem",
    "from_workbook",
    "from_xlsform",
    "to_workbook",
    "to_xlsform",
]
