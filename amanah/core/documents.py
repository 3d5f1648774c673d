"""Documents people hand on, for every module: QR codes (segno) and PDFs printed from HTML (WeasyPrint).

A PDF is rendered from our own templates only and may load nothing but ``data:`` URIs: no request leaves the
machine while printing, whatever a template or the text in it refers to.
"""

from __future__ import annotations

import base64
import io


def qr_svg(url: str, scale: int = 8) -> str:
    """``url`` as a QR code (error correction M), an SVG document with a 2-module quiet zone."""
    import segno

    buf = io.BytesIO()
    segno.make(url, error="m").save(
        buf,
        kind="svg",
        scale=scale,
        border=2,
        xmldecl=False,
        svgns=True,
        title="QR",
        dark="#000",
        light="#fff",
    )
    return buf.getvalue().decode()


def svg_data_uri(svg: str) -> str:
    """An SVG as a ``data:`` URI, for an ``<img>`` in a template printed by :func:`pdf`."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def pdf(html: str) -> bytes:
    """The PDF of an HTML document, tagged (PDF/UA-1) so that a screen reader reads it in order, in the
    document's language (``<html lang>``), with its title and the images' ``alt`` texts."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"}, allow_redirects=False)
    return HTML(string=html, base_url=None, url_fetcher=fetcher).write_pdf(pdf_variant="pdf/ua-1")
