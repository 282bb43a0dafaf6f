"""Vietnam's time: vouchers, cases and pages are dated by the day in Asia/Ho_Chi_Minh,
whatever the server's own zone."""

from __future__ import annotations

from zoneinfo import ZoneInfo

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
