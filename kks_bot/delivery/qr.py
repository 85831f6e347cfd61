"""QR codes for the family's invitation link (segno: pure Python, no image library)."""

from __future__ import annotations

import io

import segno


def qr_png(data: str, *, scale: int = 8) -> bytes:
    """A PNG of the QR code for ``data``, big enough to scan from a phone screen or paper."""
    buffer = io.BytesIO()
    segno.make(data, error="m", micro=False).save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()
