"""Evidence uploads: type checked by content, size limited, metadata removed, optionally encrypted.

Accepted types are images (JPEG, PNG, WebP — re-encoded from pixels, so EXIF, GPS, XMP and
comments are gone), PDF (document info and XMP metadata removed with pikepdf) and plain text.
Anything else, or anything whose content does not match what it claims, is refused.
"""

from __future__ import annotations

import hashlib
import io
import os
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
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


def _clean_image(data: bytes, content_type: str) -> bytes:
    from PIL import Image, ImageOps, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = 60_000_000
    try:
        with Image.open(io.BytesIO(data)) as img:
            fmt = img.format
            if IMAGE_TYPES.get(fmt) != content_type:
                raise FileRejected(_("Isi berkas tidak sesuai dengan jenisnya."), "type_mismatch")
            img.load()
            # Apply the orientation tag before dropping EXIF, so the photo is not turned sideways.
            img = ImageOps.exif_transpose(img)
            if fmt == "JPEG" and img.mode not in ("RGB", "L"):
                img = img.convert("RGB")
            out = io.BytesIO()
            clean = Image.new(img.mode, img.size)
            clean.paste(img)
            params = {"quality": 90} if fmt in ("JPEG", "WEBP") else {}
            clean.save(out, format=fmt, **params)
            return out.getvalue()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError):
        raise FileRejected(_("Gambar rusak atau tidak dapat dibaca."), "corrupt") from None


def _clean_pdf(data: bytes) -> bytes:
    import pikepdf

    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            try:
                del pdf.trailer.Info
            except (KeyError, AttributeError):
                pass
            if "/Metadata" in pdf.Root:
                del pdf.Root.Metadata
            for page in pdf.pages:
                if "/Metadata" in page.obj:
                    del page.obj.Metadata
            out = io.BytesIO()
            pdf.save(out, fix_metadata_version=False, deterministic_id=True)
            return out.getvalue()
    except pikepdf.PdfError:
        raise FileRejected(_("PDF rusak atau tidak dapat dibaca."), "corrupt") from None


def clean_upload(upload, *, max_bytes: int | None = None) -> CleanFile:
    """Check and clean one uploaded file (a Django ``UploadedFile`` or anything with ``read()``
    and ``name``). Raises :class:`FileRejected` with a specific reason."""
    max_bytes = max_bytes or settings.UPLOAD_MAX_BYTES
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise FileRejected(
            _("Berkas terlalu besar: paling besar %(mb)s MB.") % {"mb": max_bytes // (1024 * 1024)},
            "too_large",
        )
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise FileRejected(
            _("Berkas terlalu besar: paling besar %(mb)s MB.") % {"mb": max_bytes // (1024 * 1024)},
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
    could be matched against an office's network logs)."""
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
    stored.save()
    return stored


def read(stored: StoredFile) -> bytes:
    with stored.file.open("rb") as fh:
        data = fh.read()
    return crypto.decrypt_bytes(data) if stored.encrypted else data


def delete(stored: StoredFile) -> None:
    stored.file.delete(save=False)
    stored.delete()
