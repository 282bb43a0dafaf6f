"""Sổ Vàng: an event-sourced ledger for the Fund for the Poor and the Great Solidarity houses.

The packages, from the inside out (docs/ARCHITECTURE.md draws the map):

- ``domain``: the aggregates, their events and rules; pure Python.
- ``application``: the use cases that load aggregates, apply the rules and save.
- ``projections``: the read models derived from the log.
- ``reads``: the lookups that the API and the pages both answer from.
- ``adapters``: the stores, keys and files the others stand on.
- ``api`` and ``pages``: HTTP, as JSON and as Vietnamese pages.
- ``entrypoints``: the command line, WSGI and gunicorn.
- ``bootstrap``: builds one process's services from ``config``.
"""
