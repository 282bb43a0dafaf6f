"""A fund's statement (sao kê) as the public reads it, in the API's JSON and CSV and on the
public page."""

from __future__ import annotations

from service.adapters.db import Row
from service.domain.public_text import public_donor, public_memo


def public_line(row: Row) -> Row:
    """A line as anyone may see it: a person's name shortened in the donor column and in
    the memo, account numbers masked, an anonymous gift's memo not shown."""
    row["memo"] = public_memo(row["memo"], row["donor_name"], row["donor_kind"])
    row["donor_name"] = public_donor(row["donor_name"], row["donor_kind"])
    return row
