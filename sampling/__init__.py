"""Sampling (chọn mẫu): sample sizes, allocation, reproducible selection and design weights.

Pure package (spec §5): plain functions and frozen dataclasses, no I/O, no clock,
no global random state. Randomness comes only from an explicit seed through
:class:`sampling.rng.RandomStream` (PCG64), named by :data:`ALGORITHM_VERSION`.
The design file format is described in ``sampling/DESIGN.md``.
"""

from sampling.allocation import Allocation, AllocationMethod, allocate
from sampling.contacts import (
    ChannelValue,
    normalize_phone,
    normalize_text,
    parse_channel,
    parse_date,
    person_key,
)
from sampling.design import (
    DESIGN_FORMAT,
    AllocationSpec,
    Design,
    DesignError,
    ReserveSpec,
    Stage,
    load_design,
    parse_design,
)
from sampling.draw import (
    DrawnGroup,
    DrawnUnit,
    DrawResult,
    FrameStratum,
    StratumPlan,
    draw,
    frame_digest,
    plan_draw,
    sample_digest,
)
from sampling.frame import (
    CaseRecord,
    Exclusion,
    ExclusionReason,
    FrameMember,
    FrameResult,
    FrameRules,
    build_frame,
)
from sampling.rng import ALGORITHM_VERSION, RandomStream
from sampling.selection import Method, Selection, pps_systematic, simple_random, systematic
from sampling.size import cochran_size, yamane_size
from sampling.workload import balance_groups

__all__ = [
    "ALGORITHM_VERSION",
    "DESIGN_FORMAT",
    "Allocation",
    "AllocationMethod",
    "AllocationSpec",
    "CaseRecord",
    "ChannelValue",
    "Design",
    "DesignError",
    "DrawResult",
    "DrawnGroup",
    "DrawnUnit",
    "Exclusion",
    "ExclusionReason",
    "FrameMember",
    "FrameResult",
    "FrameRules",
    "FrameStratum",
    "Method",
    "RandomStream",
    "ReserveSpec",
    "Selection",
    "Stage",
    "StratumPlan",
    "allocate",
    "balance_groups",
    "build_frame",
    "cochran_size",
    "draw",
    "frame_digest",
    "load_design",
    "normalize_phone",
    "normalize_text",
    "parse_channel",
    "parse_date",
    "parse_design",
    "person_key",
    "plan_draw",
    "pps_systematic",
    "sample_digest",
    "simple_random",
    "systematic",
    "yamane_size",
]
