"""Balancing fieldwork: giving groups of respondents to surveyors (điều tra viên).

Respondents are handed out in groups (all of a unit, or of a commune) so that
one surveyor covers one place, and groups go to surveyors so that workloads are
as even as the groups allow: the longest-processing-time rule (Graham 1969),
largest group first to the surveyor with the least work, which is within 4/3 of
the best possible maximum load.

References
----------
.. [1] Graham, R. L. (1969). Bounds on multiprocessing timing anomalies.
   SIAM Journal on Applied Mathematics 17(2).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def balance_groups(
    groups: Mapping[str, int],
    workers: Sequence[int],
    *,
    current: Mapping[int, int] | None = None,
    preferred: Mapping[str, Sequence[int]] | None = None,
) -> dict[str, int]:
    """Give each group to one worker, evening out the loads.

    Parameters
    ----------
    groups : Mapping[str, int]
        Group name → number of respondents.
    workers : sequence of int
        Worker ids.
    current : Mapping[int, int], optional
        Work each worker already has.
    preferred : Mapping[str, sequence of int], optional
        For a group, the workers who should take it (e.g. surveyors based in
        that unit); the least loaded of them gets it. These groups are handed
        out first; the others then go to the least loaded of all workers.

    Returns
    -------
    dict
        Group name → worker id. Ties go to the lower worker id; groups are taken
        largest first, then by name, so the result is deterministic.
    """
    if not workers:
        raise ValueError("at least one worker is needed")
    load = {worker: (current or {}).get(worker, 0) for worker in workers}
    preferred = preferred or {}
    result: dict[str, int] = {}
    bound = {g for g in groups if any(w in load for w in preferred.get(g, ()))}
    free = {g for g in groups if g not in bound}
    for batch in (bound, free):
        for name in sorted(batch, key=lambda g: (-groups[g], g)):
            candidates = [w for w in preferred.get(name, ()) if w in load] or list(load)
            chosen = min(candidates, key=lambda w: (load[w], w))
            result[name] = chosen
            load[chosen] += groups[name]
    return result
