"""Long work (imports, computing results, exports, letters) as jobs on a database queue."""
