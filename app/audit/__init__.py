"""The audit trail (who did what, when), appended in the caller's transaction."""
