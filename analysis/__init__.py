"""Analysis: criterion rates, the nine sub-indices, SIPAS overall and PAR points.

Pure package (spec sections 3 and 4); filled in by the analysis issue.
"""
