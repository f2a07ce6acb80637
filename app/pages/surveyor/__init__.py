"""The surveyors' phone app (``/s/``): assigned respondents, outcomes and interviews,
working offline and syncing later (điều tra viên: surveyor)."""
