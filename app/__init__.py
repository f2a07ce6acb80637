"""The SIPAS service: HTTP API, pages, persistence and the ``sipas`` command line.

Domain logic lives in the pure packages ``questionnaires``, ``sampling`` and
``analysis``; this package loads rows, calls them and stores their results.
"""
