"""Bench-only pieces (installed only with ``DJANGO_BENCH=true``, never in production).

``make bench`` starts a production-like server with this app: a middleware
that reports the number of database queries of each response in a header,
and the Django admin's changelist of cases as the reference "what a team
would build first". See ``bench/run.py``.
"""
