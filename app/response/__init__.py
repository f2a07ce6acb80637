"""Responses: validated answers, stored exactly once per client_id."""
