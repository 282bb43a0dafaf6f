"""The one maker of QR codes (segno): for pages as inline SVG, for PDFs as PNG. Error
correction is kept at "M" unless the caller asks, so a printed code survives a crease."""

from __future__ import annotations

import io

import segno


def svg(data: str, *, scale: int = 4, title: str | None = None, fluid: bool = False) -> str:
    """The QR code of ``data`` as an ``<svg>`` element to put in a page; a ``fluid`` one has
    a viewBox instead of a width and height, so that the page's CSS sizes it (on screen and
    on paper alike)."""
    out = io.BytesIO()
    code = segno.make(data, error="m", micro=False)
    code.save(
        out,
        kind="svg",
        scale=scale,
        xmldecl=False,
        svgns=True,
        title=title,
        nl=False,
        omitsize=fluid,
    )
    return out.getvalue().decode()


def png(data: str, *, scale: int = 8) -> bytes:
    """The QR code of ``data`` as a PNG image, to place in a PDF."""
    out = io.BytesIO()
    segno.make(data, error="m", micro=False).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()
