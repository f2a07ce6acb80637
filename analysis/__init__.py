"""Analysis: criterion rates, the nine sub-indices, SIPAS overall, intervals and PAR points.

Pure package (spec §3–4): plain functions and frozen dataclasses, no I/O beyond their
arguments. The flow is :func:`tabulate` (answers → arrays), :func:`analyse` (every
figure with n and 95% interval), :func:`result_dict` (JSON-ready), and weight schemes
(:mod:`analysis.schemes`) for PAR points.
"""

from analysis.estimation import build_design
from analysis.results import METHOD_VERSION, MIN_CELL, SipasResult, analyse, public
from analysis.rounding import percent, points, round_half_up
from analysis.schemes import (
    SchemeError,
    WeightScheme,
    bundled_scheme,
    load_scheme,
    par_total_percent,
    sipas_points,
)
from analysis.serialize import result_dict, year_on_year
from analysis.table import Respondent, ResponseTable, tabulate
from analysis.weighting import SampledPerson, adjust_for_nonresponse

__all__ = [
    "METHOD_VERSION",
    "MIN_CELL",
    "Respondent",
    "ResponseTable",
    "SampledPerson",
    "SchemeError",
    "SipasResult",
    "WeightScheme",
    "adjust_for_nonresponse",
    "analyse",
    "build_design",
    "bundled_scheme",
    "load_scheme",
    "par_total_percent",
    "percent",
    "points",
    "public",
    "result_dict",
    "round_half_up",
    "sipas_points",
    "tabulate",
    "year_on_year",
]
