"""PAR totals per unit: the other PAR components of each unit, the PAR table and the report."""
