"""Bytes of a fetched or saved page → text: the one decoder used by crawl and ingest.

Order (as browsers do): a byte-order mark, then the HTTP ``charset``, then the
page's own ``<meta charset>`` / ``http-equiv`` / XML declaration; only when none
of these names an encoding is it detected — strict UTF-8 first (most pages, and
UTF-8 is never valid by accident), then charset-normalizer, a maintained
detector. Many Chinese pages from the 2000s are GB2312/GBK and declare nothing:
decoded as UTF-8 they became mojibake that was stored and counted ``new``.

A NUL byte in the first 4 KiB means a binary file (``Dropped("binary")``) unless
the page is UTF-16/32 (a BOM or a declaration says so), where NULs are normal.
"""

from __future__ import annotations

from dataclasses import dataclass

from w3lib.encoding import (
    html_body_declared_encoding,
    http_content_type_encoding,
    read_bom,
    resolve_encoding,
    to_unicode,
)

_WIDE = ("utf-16", "utf_16", "utf-32", "utf_32")
# charset-normalizer names GB2312/GBK pages by the smallest table that fits the
# sample; GB18030 is their superset, so characters outside the sample still decode.
_SUPERSET = {"gb2312": "gb18030", "gbk": "gb18030", "euc_cn": "gb18030", "big5": "big5hkscs"}
_MULTIBYTE = ("gb18030", "big5", "big5hkscs", "cp950", "euc_jp", "shift_jis", "cp932", "euc_kr", "cp949", "iso2022")
HEAD_BYTES = 32 * 1024  # where the title and the start of the article sit


class BinaryContent(ValueError):
    """The body is not text (NUL bytes without a UTF-16/32 encoding)."""


@dataclass(kw_only=True, frozen=True)
class Decoded:
    text: str
    encoding: str
    method: str  # bom | http | meta | utf-8 | detected | default


def _is_wide(enc: str) -> bool:
    return enc.lower().replace("-", "_").startswith(tuple(e.replace("-", "_") for e in _WIDE))


def _normalise(name: str) -> str:
    enc = resolve_encoding(name) or name
    key = enc.lower().replace("-", "_")
    return _SUPERSET.get(key, enc)


def detect(body: bytes) -> str | None:
    """charset-normalizer's encoding for an undeclared, non-UTF-8 body (``None``: no verdict)."""
    import charset_normalizer

    best = charset_normalizer.from_bytes(body).best()
    enc = best.encoding if best else None
    if enc is None or not enc.lower().startswith(_MULTIBYTE):
        # One broken multibyte sequence (a forum title cut mid-character) makes every CJK
        # candidate fail charset-normalizer's strict decode of the whole page, and it settles
        # for a single-byte code page (cp1251, ptcp154): ask again about the head alone.
        # Cut before a "<": never inside a character (it is no trail byte of GBK, Big5, Shift_JIS…).
        cut = body.rfind(b"<", 0, HEAD_BYTES)
        head = charset_normalizer.from_bytes(body[: cut if cut > 0 else HEAD_BYTES]).best()
        if head is not None and head.encoding.lower().startswith(_MULTIBYTE):
            enc = head.encoding
    return _normalise(enc) if enc else None


def decode_html(body: bytes, content_type: str | None = None) -> Decoded:
    """Decode HTML bytes: BOM, HTTP charset, meta charset, then detection (see module doc)."""
    bom_enc, bom = read_bom(body)
    if bom_enc is not None and bom is not None:
        return Decoded(text=to_unicode(body[len(bom) :], bom_enc), encoding=bom_enc, method="bom")
    enc, method = http_content_type_encoding(content_type), "http"
    if enc is None:
        enc, method = html_body_declared_encoding(body), "meta"
    nul = b"\x00" in body[:4096]
    if enc is not None and _is_wide(enc):
        if not nul:  # "utf-16" declared on a page saved as 8-bit text: ignored, as browsers do
            enc = None
        else:
            if enc.lower().replace("_", "-") in ("utf-16", "utf-32"):  # no BOM: the NUL byte's side tells the order
                enc += "-be" if body[:1] == b"\x00" else "-le"
            return Decoded(text=to_unicode(body, enc), encoding=enc, method=method)
    if nul:
        raise BinaryContent("NUL bytes in the first 4 KiB")
    if enc is not None:
        enc = _normalise(enc)
        return Decoded(text=to_unicode(body, enc), encoding=enc, method=method)
    try:
        return Decoded(text=body.decode("utf-8"), encoding="utf-8", method="utf-8")
    except UnicodeDecodeError:
        pass
    found = detect(body)
    if found is None:
        return Decoded(text=to_unicode(body, "cp1252"), encoding="cp1252", method="default")
    return Decoded(text=to_unicode(body, found), encoding=found, method="detected")
