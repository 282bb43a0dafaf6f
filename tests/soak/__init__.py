"""The soak: many clients over HTTP against a real ``sovang serve`` on PostgreSQL, then
the invariants (``make soak``; a short run is part of ``make test``)."""
