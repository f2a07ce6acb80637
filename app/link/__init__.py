"""Personal links of sampled citizens: tokens, typed codes, issuing, revoking, letters."""
