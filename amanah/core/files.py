"""Evidence uploads: type checked by content, size limited, metadata removed, optionally encrypted.

Accepted types are images (JPEG, PNG, WebP — re-encoded from pixels, so EXIF, GPS, XMP and
comments are gone; the pixel count is limited before decoding), PDF (rewritten with pikepdf without
document info, XMP, annotation authors, embedded files, JavaScript and other active actions, and with
the metadata segments of its JPEG images removed) and plain text. Anything else, or anything whose
content does not match what it claims, is refused.

A storage write cannot be rolled back with the database: :func:`removed_on_failure` deletes the files
a failed transaction stored, and :func:`delete` removes the storage object only once the deletion
commits.
"""

from __future__ import annotations

import functools
import hashlib
import io
import logging
import os
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from . import audit, crypto
from .models import StoredFile

IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
ALLOWED_TYPES = {*IMAGE_TYPES.values(), "application/pdf", "text/plain"}
EXTENSIONS = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/webp": ".webp",
    "application/pdf": ".pdf",
    "text/plain": ".txt",
}

logger = logging.getLogger(__name__)


class FileRejected(ValueError):
    """The upload was refused; ``str(exc)`` says why, in the active language."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.code = code


@dataclass
class CleanFile:
    filename: str
    content_type: str
    data: bytes


def _sniff(data: bytes) -> str | None:
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if "\x00" in text:
        return None
    return "text/plain"


def _too_many_pixels(limit: int) -> FileRejected:
    mp = float(f"{limit / 1_000_000:.3g}")
    mp = int(mp) if mp.is_integer() else mp
    return FileRejected(
        _("Gambar terlalu besar: paling banyak %(mp)s megapiksel.") % {"mp": number_format(mp)},
        "too_many_pixels",
    )


def _clean_image(data: bytes, content_type: str) -> bytes:
    from PIL import Image, ImageOps, UnidentifiedImageError

    limit = settings.UPLOAD_MAX_PIXELS
    # Pillow's own guard only warns between its limit and twice it; ours below is the real check, this
    # one is the backstop for anything decoded without it.
    Image.MAX_IMAGE_PIXELS = limit
    try:
        with Image.open(io.BytesIO(data)) as img:
            # A multi-picture JPEG (MPO: many Android cameras' "Ultra HDR" photos, 3D cameras) is a JPEG
            # with more pictures after the first; the first is the photo, and only it is kept.
            fmt = "JPEG" if img.format == "MPO" else img.format
            if IMAGE_TYPES.get(fmt) != content_type:
                raise FileRejected(_("Isi berkas tidak sesuai dengan jenisnya."), "type_mismatch")
            # Only the header has been read so far: refuse a decompression bomb before decoding it.
            if img.width * img.height > limit:
                raise _too_many_pixels(limit)
            img.load()
            # Apply the orientation tag before dropping EXIF, so the photo is not turned sideways.
            ImageOps.exif_transpose(img, in_place=True)
            if fmt == "JPEG" and img.mode not in ("RGB", "L"):
                img = img.convert("RGB")
            # Encoders write metadata only from ``info`` (and from arguments to ``save``): keep nothing
            # but the transparency, so the pixels are re-encoded without a second copy of the image.
            # A palette image keeps its palette (it belongs to the pixels, not to ``info``).
            img.info = {k: v for k, v in img.info.items() if k == "transparency"}
            out = io.BytesIO()
            params = {"quality": 90} if fmt in ("JPEG", "WEBP") else {}
            img.save(out, format=fmt, **params)
            return out.getvalue()
    except Image.DecompressionBombError:
        raise _too_many_pixels(limit) from None
    except (UnidentifiedImageError, OSError, SyntaxError):
        raise FileRejected(_("Gambar rusak atau tidak dapat dibaca."), "corrupt") from None


# JPEG markers: APP1–APP15 (EXIF, XMP, ICC, IPTC, MPF…) and COM carry metadata, never pixels.
_APP0, _APP14, _COM, _SOS, _EOI = 0xE0, 0xEE, 0xFE, 0xDA, 0xD9


def _strip_jpeg(data: bytes) -> bytes | None:
    """The same JPEG without its APP1–APP15 and COM segments (an Adobe APP14, which only says how the
    colours are coded, stays), without a JFIF thumbnail and without anything after the end marker. The
    image data is copied unchanged. ``None`` when ``data`` is not a JPEG that can be read."""
    if not data.startswith(b"\xff\xd8"):
        return None
    out = [b"\xff\xd8"]
    pos, n = 2, len(data)
    while True:
        if pos >= n:  # no end marker: keep what there is
            return b"".join(out)
        if data[pos] != 0xFF:
            return None
        while pos < n and data[pos] == 0xFF:  # fill bytes
            pos += 1
        if pos >= n:
            return None
        marker = data[pos]
        pos += 1
        if marker == _EOI:
            out.append(b"\xff\xd9")
            return b"".join(out)  # anything appended after the image is dropped
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # standalone markers
            out.append(bytes((0xFF, marker)))
            continue
        if pos + 2 > n:
            return None
        length = int.from_bytes(data[pos : pos + 2], "big")
        if length < 2 or pos + length > n:
            return None
        payload = data[pos + 2 : pos + length]
        pos += length
        if marker == _APP0:
            if payload.startswith(b"JFIF\x00") and len(payload) >= 14:
                # Version, units and density; the thumbnail size is set to 0 and its pixels dropped.
                out.append(b"\xff\xe0\x00\x10" + payload[:12] + b"\x00\x00")
        elif marker == _APP14 and payload.startswith(b"Adobe") and len(payload) <= 12:
            out.append(bytes((0xFF, marker)) + data[pos - length : pos])
        elif 0xE1 <= marker <= 0xEF or marker == _COM:
            pass
        else:
            out.append(bytes((0xFF, marker)) + data[pos - length : pos])
        if marker == _SOS:
            # Entropy-coded data up to the next marker (0xFF00 is a stuffed byte, 0xFFD0–D7 a restart).
            start = pos
            while True:
                at = data.find(b"\xff", pos)
                if at < 0 or at + 1 >= n:
                    out.append(data[start:])
                    return b"".join(out)
                nxt = data[at + 1]
                if nxt == 0x00 or 0xD0 <= nxt <= 0xD7:
                    pos = at + 2
                elif nxt == 0xFF:
                    pos = at + 1
                else:
                    break
            out.append(data[start:at])
            pos = at


# Keys removed from every dictionary and stream of a PDF: XMP metadata, application data
# (``PieceInfo`` with its date), additional (automatic) actions, associated and embedded files, and
# JavaScript.
_PDF_DROP_KEYS = ("/Metadata", "/PieceInfo", "/LastModified", "/AA", "/AF", "/EF", "/JS")
# Actions that run code, open or submit something, or reach outside the document.
_PDF_ACTIVE_ACTIONS = {
    "/JavaScript",
    "/Launch",
    "/ImportData",
    "/SubmitForm",
    "/Rendition",
    "/GoToE",
    "/GoToR",
    "/RichMediaExecute",
    "/Movie",
    "/Sound",
}
# Annotations that only carry an attached file or active media: removed from the pages.
_PDF_DROP_ANNOTS = {"/FileAttachment", "/RichMedia", "/Movie", "/Sound", "/Screen"}


def _is_active_action(value) -> bool:
    import pikepdf

    if isinstance(value, pikepdf.Array):
        return any(_is_active_action(v) for v in value)
    if not isinstance(value, pikepdf.Dictionary):
        return False
    return str(value.get("/S", "")) in _PDF_ACTIVE_ACTIONS or "/JS" in value


def _scrub_pdf_dict(d, stack: list) -> None:
    """Remove metadata and active content from one dictionary (or a stream's dictionary); push its
    direct (not indirect) children on ``stack`` so nested dictionaries are visited too."""
    import pikepdf

    for key in _PDF_DROP_KEYS:
        if key in d:
            del d[key]
    for key in ("/A", "/Next"):
        if key in d and _is_active_action(d[key]):
            del d[key]
    subtype = str(d.get("/Subtype", ""))
    if subtype and subtype != "/Widget" and "/Rect" in d:
        # A (markup) annotation: its author and dates. A form field's /T is its name and stays.
        for key in ("/T", "/M", "/CreationDate"):
            if key in d:
                del d[key]
    if subtype in _PDF_DROP_ANNOTS and "/FS" in d:
        del d["/FS"]
    for value in d.values():
        if isinstance(value, (pikepdf.Dictionary, pikepdf.Array)) and not value.is_indirect:
            stack.append(value)


def _strip_pdf_jpeg(stream) -> None:
    """Strip the metadata segments from a JPEG image (``DCTDecode``) inside the PDF."""
    import pikepdf

    filters = stream.get("/Filter")
    if filters is None:
        return
    filters = list(filters) if isinstance(filters, pikepdf.Array) else [filters]
    if not filters or str(filters[-1]) != "/DCTDecode":
        return
    all_parms = stream.get("/DecodeParms")
    if isinstance(all_parms, pikepdf.Array):
        parms = all_parms[len(filters) - 1] if len(all_parms) >= len(filters) else None
    else:
        parms = all_parms if len(filters) == 1 else None
    if not isinstance(parms, pikepdf.Dictionary):
        parms = None
    jpeg = stream.read_raw_bytes()
    if len(filters) > 1:
        # e.g. [/FlateDecode /DCTDecode]: undo only the lossless filters, in a scratch document.
        scratch = pikepdf.new()
        outer = pikepdf.Stream(scratch, jpeg)
        outer.Filter = pikepdf.Array(filters[:-1])
        if isinstance(all_parms, pikepdf.Array):
            outer.DecodeParms = pikepdf.Array(
                [
                    pikepdf.Dictionary({str(k): v for k, v in p.items()})
                    if isinstance(p, pikepdf.Dictionary)
                    else None
                    for p in list(all_parms)[: len(filters) - 1]
                ]
            )
        jpeg = outer.read_bytes()
    clean = _strip_jpeg(jpeg)
    if clean is None:
        raise FileRejected(_("PDF rusak atau tidak dapat dibaca."), "corrupt")
    if clean != jpeg or len(filters) > 1:
        stream.write(clean, filter=pikepdf.Name.DCTDecode, decode_parms=parms)


def _clean_pdf(data: bytes) -> bytes:
    import pikepdf

    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            try:
                del pdf.trailer.Info
            except (KeyError, AttributeError):
                pass
            root = pdf.Root
            names = root.get("/Names")
            if isinstance(names, pikepdf.Dictionary):
                for key in ("/JavaScript", "/EmbeddedFiles"):
                    if key in names:
                        del names[key]
            for key in ("/Collection", "/NeedsRendering"):  # a portfolio of attached files; XFA
                if key in root:
                    del root[key]
            acroform = root.get("/AcroForm")
            if isinstance(acroform, pikepdf.Dictionary) and "/XFA" in acroform:
                del acroform["/XFA"]  # XFA forms carry scripts; the AcroForm fields stay
            opening = root.get("/OpenAction")
            if isinstance(opening, pikepdf.Dictionary) and str(opening.get("/S", "")) != "/GoTo":
                del root["/OpenAction"]  # a destination (an array) or a plain go-to stays
            for page in pdf.pages:
                annots = page.obj.get("/Annots")
                if isinstance(annots, pikepdf.Array):
                    kept = [
                        a
                        for a in annots
                        if not (
                            isinstance(a, pikepdf.Dictionary)
                            and str(a.get("/Subtype", "")) in _PDF_DROP_ANNOTS
                        )
                    ]
                    if len(kept) != len(annots):
                        page.obj.Annots = pdf.make_indirect(pikepdf.Array(kept))
            # Every object, wherever it is referenced from (pages, forms, outlines, resources).
            for obj in pdf.objects:
                is_stream = isinstance(obj, pikepdf.Stream)
                if not (is_stream or isinstance(obj, pikepdf.Dictionary)):
                    if isinstance(obj, pikepdf.Array):
                        stack = [obj]
                    else:
                        continue
                else:
                    stack = []
                    _scrub_pdf_dict(obj, stack)
                    if is_stream:
                        _strip_pdf_jpeg(obj)
                while stack:
                    item = stack.pop()
                    if isinstance(item, pikepdf.Dictionary):
                        _scrub_pdf_dict(item, stack)
                    else:
                        stack.extend(
                            v
                            for v in item
                            if isinstance(v, (pikepdf.Dictionary, pikepdf.Array))
                            and not v.is_indirect
                        )
            out = io.BytesIO()
            pdf.save(out, fix_metadata_version=False, deterministic_id=True)
            return out.getvalue()
    except pikepdf.PdfError:
        raise FileRejected(_("PDF rusak atau tidak dapat dibaca."), "corrupt") from None


def max_megabytes(max_bytes: int | None = None) -> str:
    """``max_bytes`` (by default ``UPLOAD_MAX_BYTES``) in megabytes as people read it in the active
    language ("10", "2,5", "0,5")."""
    from django.utils import formats

    mb = (max_bytes or settings.UPLOAD_MAX_BYTES) / 2**20
    return formats.number_format(int(mb) if mb == int(mb) else round(mb, 1))


def clean_upload(upload, *, max_bytes: int | None = None) -> CleanFile:
    """Check and clean one uploaded file (a Django ``UploadedFile`` or anything with ``read()``
    and ``name``). Raises :class:`FileRejected` with a specific reason."""
    max_bytes = max_bytes or settings.UPLOAD_MAX_BYTES
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise FileRejected(
            _("Berkas terlalu besar: paling besar %(mb)s MB.") % {"mb": max_megabytes(max_bytes)},
            "too_large",
        )
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise FileRejected(
            _("Berkas terlalu besar: paling besar %(mb)s MB.") % {"mb": max_megabytes(max_bytes)},
            "too_large",
        )
    if not data:
        raise FileRejected(_("Berkas kosong."), "empty")
    content_type = _sniff(data)
    if content_type not in ALLOWED_TYPES:
        raise FileRejected(
            _("Jenis berkas tidak didukung. Kirim foto (JPEG, PNG, WebP), PDF atau teks."),
            "unsupported",
        )
    name = os.path.basename(getattr(upload, "name", "") or "berkas")
    stem, ext = os.path.splitext(name)
    claimed = getattr(upload, "content_type", None)
    # A file that names itself as one supported type but is another is refused, not renamed.
    by_ext = {v: k for k, v in EXTENSIONS.items()}.get(ext.lower()) or {".jpeg": "image/jpeg"}.get(
        ext.lower()
    )
    if by_ext and by_ext != content_type:
        raise FileRejected(_("Isi berkas tidak sesuai dengan nama atau jenisnya."), "type_mismatch")
    if claimed in ALLOWED_TYPES and claimed != content_type:
        raise FileRejected(_("Isi berkas tidak sesuai dengan nama atau jenisnya."), "type_mismatch")
    if content_type in IMAGE_TYPES.values():
        data = _clean_image(data, content_type)
    elif content_type == "application/pdf":
        data = _clean_pdf(data)
    safe_stem = "".join(ch for ch in stem if ch.isalnum() or ch in "-_ ").strip()[:80] or "berkas"
    return CleanFile(
        filename=safe_stem + EXTENSIONS[content_type], content_type=content_type, data=data
    )


def store(clean: CleanFile, *, encrypt: bool = False, coarse_time: bool = False) -> StoredFile:
    """Save a cleaned file through Django's storage API (local folder or S3).

    ``coarse_time`` keeps only the day of the upload (for a whistleblower's files: an exact time
    could be matched against an office's network logs): in the row, and in the stored file's access and
    modification times on a local folder (:func:`_day_only_times`)."""
    payload = crypto.encrypt_bytes(clean.data) if encrypt else clean.data
    stored = StoredFile(
        filename=clean.filename,
        content_type=clean.content_type,
        size=len(clean.data),
        sha256=hashlib.sha256(clean.data).hexdigest(),
        encrypted=encrypt,
    )
    if coarse_time:
        stored.created_at = audit.start_of_day(stored.created_at)
    stored.file.save(stored.id.hex, ContentFile(payload), save=False)
    try:
        if coarse_time:
            _day_only_times(stored)
        stored.save()
    except BaseException:
        discard([stored])
        raise
    return stored


def _day_only_times(stored: StoredFile) -> None:
    """Set a stored file's access and modification times to its row's ``created_at`` (the day's start)
    where the storage is a local folder. The file system keeps the moment of the write in the inode's
    change time (``ctime``), which no program can set, and an object store its own ``LastModified``:
    those are read only by whoever administers the server or the bucket (docs/integrity.md)."""
    try:
        path = stored.file.path
    except NotImplementedError:  # an object store (S3): it has no path
        return
    moment = stored.created_at.timestamp()
    os.utime(path, (moment, moment))


def read(stored: StoredFile) -> bytes:
    with stored.file.open("rb") as fh:
        data = fh.read()
    return crypto.decrypt_bytes(data) if stored.encrypted else data


def discard(stored: list[StoredFile]) -> None:
    """Delete the storage objects of files whose rows are being rolled back. A failure is logged, not
    raised, so that it does not hide the error that caused the rollback."""
    for sf in stored:
        try:
            sf.file.delete(save=False)
        except Exception:
            logger.exception("could not delete stored file %s", sf.file.name)


@contextmanager
def removed_on_failure():
    """``with files.removed_on_failure() as stored, transaction.atomic(): …``: the caller appends
    every ``StoredFile`` it stores to ``stored``; when the block raises (also while committing, hence
    outside the ``atomic``), their storage objects are deleted, as the rows are rolled back."""
    stored: list[StoredFile] = []
    try:
        yield stored
    except BaseException:
        discard(stored)
        raise


def _delete_object(storage, name: str) -> None:
    storage.delete(name)


def delete(stored: StoredFile) -> None:
    """Delete the row now and the storage object once the transaction commits: a storage deletion
    cannot be rolled back, so a failed transaction must still find its files."""
    storage, name = stored.file.storage, stored.file.name
    stored.delete()
    if name:
        transaction.on_commit(functools.partial(_delete_object, storage, name), robust=True)


def download_response(stored: StoredFile, data: bytes | None = None):
    """``data`` of ``stored`` as an HTTP download: never shown inline, never sniffed, never cached. Without
    ``data``, the answer to a HEAD: the same headers, ``Content-Length`` the stored size, and no body (the
    file is not read)."""
    from django.http import HttpResponse
    from django.utils.http import content_disposition_header

    response = HttpResponse(b"" if data is None else data, content_type=stored.content_type)
    if data is None:
        response["Content-Length"] = str(stored.size)
    response["Content-Disposition"] = content_disposition_header(True, stored.filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


def without_body(response):
    """``response`` as the answer to a HEAD: its status and headers, ``Content-Length`` that of the body
    it would have had, and no body (a server drops one anyway; gunicorn logs a warning each time)."""
    if not response.streaming:
        if getattr(response, "is_rendered", True) is False:  # a TemplateResponse not yet rendered
            response.render()
        if not response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
        response.content = b""
    return response


def head_as_get(view):
    """A view that takes HEAD as well as GET (see ``require_safe``) answers it with what GET would answer,
    refusals included, through :func:`without_body`. The view itself tells a HEAD (``request.method``) from
    a GET where it must: a HEAD is no download, so it reads no file and is not audited as one. Works on a
    django-ninja operation too (``decorate_view``), whose refusals are made inside the wrapped call."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method != "HEAD":
            return view(request, *args, **kwargs)
        from django.core.exceptions import PermissionDenied
        from django.core.handlers.exception import response_for_exception
        from django.http import Http404

        try:
            response = view(request, *args, **kwargs)
        except (Http404, PermissionDenied) as exc:
            # Django's own 404 or 403 page, made here so that it too goes without a body.
            response = response_for_exception(request, exc)
        return without_body(response)

    return wrapped
