"""QR codes of the companies' personal links, to print for the werksessie table."""

from __future__ import annotations

import io

import segno

QR_SCALE = 10
"""Pixels per module: a link of about 80 characters (QR version 5: 37 modules,
plus a quiet zone of 4 on each side) gives a 450-pixel square, 3.8 cm at
300 dpi."""


def qr_png(text: str, scale: int = QR_SCALE) -> bytes:
    """``text`` (a URL) as a QR code in PNG, error correction level M (15 %).

    >>> qr_png("https://example.org/mijn_pand?sleutel=abc")[:8]
    b'\\x89PNG\\r\\n\\x1a\\n'
    """
    code = segno.make(text, error="m", micro=False)
    out = io.BytesIO()
    code.save(out, kind="png", scale=scale, border=4)
    return out.getvalue()
