"""Case lists (danh sách hồ sơ TTHC): streaming import with a row-by-row report."""
