"""A web page saved as one file (``.mhtml``, ``.mht``), read as the page.

A browser's "Webpage, Single File" is a MIME message: the page's HTML source is its first
``text/html`` part (quoted-printable or base64), its pictures and styles the other parts. The
HTML part's bytes are decoded as any document's (:func:`xref.decode.decode_bytes`: GBK
pages as well as UTF-8 ones) and read as HTML source, as a saved ``.html`` is.

Offsets into such a document's ``raw`` text are offsets into the page's HTML source.
"""

from __future__ import annotations

import email

from xref.decode import Decoded, DecodeError, decode_bytes

_HEAD = 4096  # the message's headers, which name it multipart/related, come first


def is_mhtml(data: bytes) -> bool:
    """Whether the bytes are a MIME message holding a saved web page."""
    head = data[:_HEAD].lower()
    return b"mime-version:" in head and b"multipart/related" in head


def mhtml_text(data: bytes) -> Decoded:
    """The HTML source of a saved web page; :class:`~xref.decode.DecodeError` when it has
    none, or when that cannot be decoded."""
    message = email.message_from_bytes(data)
    page = next((p for p in message.walk() if p.get_content_type() == "text/html"), None)
    source = page.get_payload(decode=True) if page is not None else None
    if not isinstance(source, bytes):
        raise DecodeError("unreadable", "a saved web page (MHTML) without its page's HTML")
    decoded = decode_bytes(source)
    return Decoded(decoded.text, "mhtml", decoded.replaced)
