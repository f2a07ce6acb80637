"""Staff pages (``/staff/``) of the Department of Home Affairs (Sở Nội vụ): surveyor
accounts, personal links and letters per unit, and paper questionnaires keyed in."""
