"""The public pages (công khai): server-rendered HTML in Vietnamese that anyone can read
without an account, small, working without JavaScript, readable on a phone."""

from __future__ import annotations

from service.pages.public import bp

__all__ = ["bp"]
