"""Units (cơ quan, đơn vị): create, bulk import, tree."""
