"""The shapes of imports of bank files over the API: the query that starts one, and the
job with its counts, totals and the lines it did not record."""

from __future__ import annotations

import re
from typing import Any

from marshmallow import ValidationError

from service.adapters.bank_files import PRESETS
from service.api import fields
from service.api import validators as validate
from service.api.fields import Schema
from service.api.schemas.common import ReadQuery, Text

_LINE_NUMBERS = re.compile(r"^\s*\d{1,9}(\s*,\s*\d{1,9})*\s*$")


class ImportQuery(ReadQuery):
    preset = Text(
        load_default="sovang",
        validate=validate.OneOf(list(PRESETS)),
        metadata={"description": "The bank's layout: " + ", ".join(PRESETS) + "."},
    )
    dry_run = fields.Boolean(load_default=False)
    currency = Text(
        load_default=None,
        validate=validate.Length(min=3, max=3),
        metadata={
            "description": "The account's currency (ISO 4217) for a foreign-currency "
            "account's statement without a currency column; its credits are read in that "
            "currency, with the đồng the bank credited (column “Số tiền quy đổi”)."
        },
    )
    columns = Text(
        load_default=None,
        validate=validate.Length(max=2000),
        metadata={
            "description": "JSON naming columns by their header label, overriding the "
            'preset: {"date", "amount", "debit", "reference", "memo", "counterparty", '
            '"balance", "currency", "vnd_amount"}.'
        },
    )


class LineNumbers(Text):
    """Line numbers of the file, comma-separated: ``32,45``."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        text = super()._deserialize(value, attr, data, **kwargs)
        if not text.strip():
            return []
        if not _LINE_NUMBERS.match(text):
            raise ValidationError("Ghi các số dòng, cách nhau bằng dấu phẩy, ví dụ 32,45.")
        return sorted({int(number) for number in text.split(",")})


class ImportStartQuery(ImportQuery):
    confirm_repeats = LineNumbers(
        load_default=[],
        metadata={
            "description": "The lines, identical in every field to an earlier line, that are "
            "gifts of their own (comma-separated line numbers, as the dry run's "
            "repeat_groups name them); without it each such line is recorded once.",
            "pattern": r"^ *$|^ *[0-9]{1,9}( *, *[0-9]{1,9})* *$",
        },
    )


class ImportLineOut(Schema):
    row = fields.Integer(metadata={"description": "The line in the file, from 1."})
    outcome = fields.String(
        metadata={"description": "already_recorded, repeated, debit, bad or not_a_transaction"}
    )
    reason = fields.String()
    occurred_on = fields.String(allow_none=True)
    reference = fields.String(allow_none=True)
    amount = fields.Integer(allow_none=True)


class ForeignDebitsOut(Schema):
    currency = fields.String(metadata={"description": "ISO 4217 code."})
    debits = fields.Integer()
    amount = fields.Integer(metadata={"description": "In the currency's minor units."})
    shown = fields.String(metadata={"description": "As read: 1.250,50 USD."})


class RepeatGroupOut(Schema):
    rows = fields.List(
        fields.Integer(), metadata={"description": "Lines identical in every field."}
    )
    outcomes = fields.Dict(keys=fields.String(), values=fields.String())
    confirmed = fields.List(fields.Integer())


class ImportJobOut(Schema):
    job_id = fields.String(attribute="id")
    fund_id = fields.String()
    filename = fields.String()
    preset = fields.String()
    dry_run = fields.Boolean()
    status = fields.String(metadata={"description": "running, done or failed"})
    rows_read = fields.Integer(metadata={"description": "Lines of the file read so far."})
    lines = fields.Integer(metadata={"description": "Lines of the file; the groups add up to it."})
    recorded = fields.Integer(metadata={"description": "Dry: would be recorded."})
    amount = fields.Integer()
    linked_to_pledges = fields.Integer()
    duplicates = fields.Integer(metadata={"description": "Credits recorded by an earlier import."})
    duplicates_amount = fields.Integer()
    repeats = fields.Integer(
        metadata={"description": "Credits identical to an earlier line, not confirmed."}
    )
    repeats_amount = fields.Integer()
    debits = fields.Integer(metadata={"description": "Money out: payments and bank fees."})
    debits_amount = fields.Integer(
        metadata={
            "description": "The debits in đồng; a debit in a currency counts at the đồng "
            "the bank converted it at, where the file gives it (see debits_foreign)."
        }
    )
    debits_foreign = fields.List(
        fields.Nested(ForeignDebitsOut),
        metadata={"description": "The debits in a currency: count and minor units, by code."},
    )
    bad = fields.Integer()
    skipped = fields.Integer(metadata={"description": "Title, header, total and blank lines."})
    not_recorded = fields.List(
        fields.Nested(ImportLineOut),
        metadata={"description": "The first 1,000 lines not recorded; report_csv has them all."},
    )
    repeat_groups = fields.List(fields.Nested(RepeatGroupOut))
    reconciliation = fields.Dict(
        allow_none=True,
        metadata={
            "description": "The file's credits against those bank notifications recorded: "
            "matched_notifications, recorded_from_statement, recorded_before and "
            "not_recorded add up to statement_credits (count and amount); "
            "missing_from_statement lists the notified credits within the file's dates "
            "that it did not list, flagged for the treasurer and the board."
        },
    )
    report_csv = fields.String(
        metadata={"description": "Where to download every line not recorded, as CSV."}
    )
    error = fields.String(allow_none=True)
    position = fields.Integer(
        allow_none=True, metadata={"description": "Read at this position to see the rows."}
    )
    started_at = fields.String()
    finished_at = fields.String(allow_none=True)
