"""Accounts, API tokens and keys, page sessions, and every FastAPI dependency about who calls."""
