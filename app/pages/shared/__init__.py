"""Server-rendered pages: log-in sessions with CSRF protection, templates, static files.

The pages are Jinja2 templates with small plain JavaScript (``static/js``), no
build step and nothing from the internet. Surveyors (``/s/``) and staff
(``/staff/``) log in with a password and keep a session cookie; citizens (``/r/``)
are recognised by their personal link alone.
"""
