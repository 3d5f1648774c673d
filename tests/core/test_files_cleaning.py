"""Evidence cleaning on real files: what is actually stored (read back with ``files.read``) keeps the
picture or the pages and loses metadata, attachments and active content."""

import io
import struct

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageChops, ImageFile, PngImagePlugin

from amanah.core import files
from amanah.core.models import StoredFile

pytestmark = pytest.mark.django_db

AUTHOR = "RahasiaPenulis"
GPS = {1: "S", 2: (7.0, 46.0, 30.0), 3: "E", 4: (110.0, 22.0, 5.0)}
XMP = (
    b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
    b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
    b'xmlns:dc="http://purl.org/dc/elements/1.1/" dc:creator="' + AUTHOR.encode() + b'"/>'
    b'</rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
)
PAYLOAD = b"<html><script>alert('muatan')</script></html>"


def stored_bytes(name, data, content_type="application/octet-stream"):
    """Clean, store (encrypted, as evidence is) and read back what is really on disk."""
    clean = files.clean_upload(SimpleUploadedFile(name, data, content_type=content_type))
    return files.read(files.store(clean, encrypt=True))


def exif(orientation=None):
    tags = Image.Exif()
    tags[0x010F] = "KameraMerek"  # Make
    tags[0x013B] = AUTHOR  # Artist
    tags[0x8825] = GPS
    if orientation:
        tags[0x0112] = orientation
    return tags


def _segment(marker, payload):
    return b"\xff" + bytes([marker]) + struct.pack(">H", len(payload) + 2) + payload


def photo_jpeg(size=(48, 32), **params):
    """A phone-like photo: EXIF with GPS, XMP, IPTC and a comment, with a picture in it."""
    img = Image.new("RGB", size, (200, 30, 30))
    for x in range(size[0] // 2, size[0]):
        for y in range(size[1]):
            img.putpixel((x, y), (20, 60, 220))
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=95, exif=exif(), **params)
    data = out.getvalue()
    extra = (
        _segment(0xE1, b"http://ns.adobe.com/xap/1.0/\x00" + XMP)
        + _segment(0xED, b"Photoshop 3.0\x008BIM\x04\x04\x00\x00\x00\x00\x00\x0e" + AUTHOR.encode())
        + _segment(0xFE, b"Komentar " + AUTHOR.encode())
    )
    return data[:2] + extra + data[2:]


def has_author(data: bytes) -> bool:
    return AUTHOR.encode() in data or AUTHOR.encode("utf-16-be") in data


def everything_decoded(pdf) -> bytes:
    """Every object of the stored PDF as text, and every stream decoded as far as it goes."""
    parts = []
    for obj in pdf.objects:
        parts.append(repr(obj).encode())
        if isinstance(obj, pikepdf.Stream):
            parts.append(obj.read_raw_bytes())
            try:
                parts.append(obj.read_bytes())
            except pikepdf.PdfError:
                pass
    return b"\n".join(parts)


def image_stream(pdf, jpeg, filters=None):
    width, height = Image.open(io.BytesIO(jpeg)).size
    stream = pikepdf.Stream(pdf, jpeg)
    stream.Type, stream.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
    stream.Width, stream.Height = width, height
    stream.ColorSpace, stream.BitsPerComponent = pikepdf.Name.DeviceRGB, 8
    stream.Filter = pikepdf.Name.DCTDecode
    if filters == "flate":
        import zlib

        stream.write(
            zlib.compress(jpeg),
            filter=pikepdf.Array([pikepdf.Name.FlateDecode, pikepdf.Name.DCTDecode]),
        )
    return stream


def save(pdf) -> bytes:
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def scanned_pdf(pages=1):
    """A "scan to PDF" of a phone photo: the photo's JPEG, EXIF and all, is the page image."""
    pdf = pikepdf.new()
    jpeg = photo_jpeg()
    for i in range(pages):
        pdf.add_blank_page(page_size=(200, 200))
        page = pdf.pages[i]
        im0 = image_stream(pdf, jpeg)
        im1 = image_stream(pdf, jpeg, filters="flate")
        page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=im0, Im1=im1))
        page.Contents = pdf.make_stream(
            b"q 48 0 0 32 10 10 cm /Im0 Do Q q 48 0 0 32 10 60 cm /Im1 Do Q "
            b"BT /F1 12 Tf 10 150 Td (Halaman) Tj ET"
        )
    return save(pdf), jpeg


# --- PDF ---------------------------------------------------------------------------------------


def test_pdf_embedded_jpeg_loses_exif_gps_and_comments_but_keeps_its_pixels():
    data, jpeg = scanned_pdf()
    assert has_author(data) and b"Exif" in data
    out = stored_bytes("scan.pdf", data, "application/pdf")
    assert not has_author(out)
    with pikepdf.open(io.BytesIO(out)) as pdf:
        assert len(pdf.pages) == 1
        xobjects = pdf.pages[0].Resources.XObject
        original = Image.open(io.BytesIO(jpeg)).convert("RGB")
        for name in ("/Im0", "/Im1"):
            raw = xobjects[name].read_raw_bytes()
            assert str(xobjects[name].Filter) == "/DCTDecode"
            assert b"Exif" not in raw and b"Photoshop" not in raw and b"Komentar" not in raw
            with Image.open(io.BytesIO(raw)) as img:
                assert not img.getexif() and "comment" not in img.info
                assert not img.getexif().get_ifd(0x8825)
                # The image data is copied, not re-encoded: the very same pixels.
                assert ImageChops.difference(img.convert("RGB"), original).getbbox() is None
            pil = pikepdf.PdfImage(xobjects[name]).as_pil_image()
            assert pil.size == original.size
        assert b"/Im0 Do" in pdf.pages[0].Contents.read_bytes()
        assert not has_author(everything_decoded(pdf))


def test_pdf_jpeg_with_a_thumbnail_and_a_hidden_tail_keeps_only_the_image():
    base = photo_jpeg()
    jfif_thumb = _segment(0xE0, b"JFIF\x00\x01\x02\x00\x00\x01\x00\x01\x02\x01" + b"\x7f" * 6)
    data = base[:2] + jfif_thumb + base[2:] + PAYLOAD
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.pages[0].Resources = pikepdf.Dictionary(
        XObject=pikepdf.Dictionary(Im0=image_stream(pdf, data))
    )
    out = stored_bytes("scan.pdf", save(pdf), "application/pdf")
    with pikepdf.open(io.BytesIO(out)) as doc:
        raw = doc.pages[0].Resources.XObject.Im0.read_raw_bytes()
    assert raw.endswith(b"\xff\xd9") and PAYLOAD not in raw and b"\x7f" * 6 not in raw
    assert Image.open(io.BytesIO(raw)).size == (48, 32)


def test_pdf_with_an_unreadable_jpeg_is_refused():
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.pages[0].Resources = pikepdf.Dictionary(
        XObject=pikepdf.Dictionary(Im0=image_stream(pdf, photo_jpeg()))
    )
    pdf.pages[0].Resources.XObject.Im0.write(b"bukan JPEG", filter=pikepdf.Name.DCTDecode)
    with pytest.raises(files.FileRejected) as exc:
        stored_bytes("scan.pdf", save(pdf), "application/pdf")
    assert exc.value.code == "corrupt"


def test_pdf_xmp_and_piece_info_are_removed_from_every_object():
    pdf = pikepdf.new()
    pdf.add_blank_page()
    xmp = pdf.make_stream(XMP, Type=pikepdf.Name.Metadata, Subtype=pikepdf.Name.XML)
    image = image_stream(pdf, photo_jpeg())
    image.Metadata = xmp
    form = pdf.make_stream(b"0 0 m 10 10 l S", Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form)
    form.BBox = [0, 0, 10, 10]
    form.Metadata = pdf.make_stream(XMP)
    page = pdf.pages[0]
    page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image, Fm0=form))
    page.obj.PieceInfo = pikepdf.Dictionary(
        Aplikasi=pikepdf.Dictionary(Private=pikepdf.String(AUTHOR), LastModified="D:2026")
    )
    page.obj.LastModified = pikepdf.String("D:20261001")
    pdf.Root.PieceInfo = pikepdf.Dictionary(Aplikasi=pikepdf.Dictionary(Private=AUTHOR))
    with pdf.open_metadata() as meta:
        meta["dc:creator"] = [AUTHOR]
    pdf.docinfo["/Author"] = AUTHOR
    out = stored_bytes("dokumen.pdf", save(pdf), "application/pdf")
    assert not has_author(out)
    with pikepdf.open(io.BytesIO(out)) as doc:
        for obj in doc.objects:
            if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
                assert "/Metadata" not in obj and "/PieceInfo" not in obj
        assert "/LastModified" not in doc.pages[0].obj and "/Author" not in doc.docinfo
        assert set(doc.pages[0].Resources.XObject.keys()) == {"/Im0", "/Fm0"}
        assert not has_author(everything_decoded(doc))


def test_pdf_annotation_author_is_removed_and_the_comment_and_form_fields_stay():
    pdf = pikepdf.new()
    pdf.add_blank_page()
    note = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Annot,
            Subtype=pikepdf.Name.Text,
            Rect=[10, 10, 50, 50],
            T=pikepdf.String(AUTHOR),
            M=pikepdf.String("D:20261001083000+07'00'"),
            CreationDate=pikepdf.String("D:20261001083000+07'00'"),
            Contents=pikepdf.String("Catatan: uang diminta di loket 3"),
        )
    )
    reply = pikepdf.Dictionary(
        Subtype=pikepdf.Name.Highlight,
        Rect=[60, 60, 90, 70],
        QuadPoints=[60, 70, 90, 70, 60, 60, 90, 60],
        T=pikepdf.String(AUTHOR + " Dua"),
    )
    field = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Annot,
            Subtype=pikepdf.Name.Widget,
            Rect=[100, 100, 200, 120],
            FT=pikepdf.Name.Tx,
            T=pikepdf.String("nama_pemohon"),
            V=pikepdf.String("isi formulir"),
        )
    )
    pdf.pages[0].Annots = pdf.make_indirect(pikepdf.Array([note, reply, field]))
    pdf.Root.AcroForm = pikepdf.Dictionary(Fields=[field])
    out = stored_bytes("catatan.pdf", save(pdf), "application/pdf")
    assert not has_author(out)
    with pikepdf.open(io.BytesIO(out)) as doc:
        annots = list(doc.pages[0].Annots)
        assert len(annots) == 3
        assert "/T" not in annots[0] and "/M" not in annots[0] and "/CreationDate" not in annots[0]
        assert str(annots[0].Contents) == "Catatan: uang diminta di loket 3"
        assert "/T" not in annots[1]
        assert str(annots[2].T) == "nama_pemohon" and str(annots[2].V) == "isi formulir"


def test_pdf_embedded_files_are_removed_and_the_page_stays():
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.pages[0].Contents = pdf.make_stream(b"BT /F1 12 Tf 10 10 Td (Isi halaman) Tj ET")
    pdf.attachments["payload.html"] = pikepdf.AttachedFileSpec(pdf, PAYLOAD, mime_type="text/html")
    spec = pikepdf.AttachedFileSpec(pdf, PAYLOAD + b"-annot", mime_type="text/html")
    attachment = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.FileAttachment,
        Rect=[10, 10, 30, 30],
        FS=spec.obj,
        T=pikepdf.String(AUTHOR),
    )
    link = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.Link,
        Rect=[40, 40, 80, 50],
        A=pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("https://lapor.go.id")),
    )
    pdf.pages[0].Annots = pdf.make_indirect(pikepdf.Array([attachment, link]))
    af_spec = pikepdf.AttachedFileSpec(pdf, PAYLOAD + b"-af", mime_type="text/html")
    pdf.Root.AF = pikepdf.Array([af_spec.obj])
    pdf.pages[0].obj.AF = pikepdf.Array([af_spec.obj])
    data = save(pdf)
    with pikepdf.open(io.BytesIO(data)) as before:
        assert before.attachments["payload.html"].get_file().read_bytes() == PAYLOAD

    out = stored_bytes("laporan.pdf", data, "application/pdf")
    with pikepdf.open(io.BytesIO(out)) as doc:
        assert len(doc.attachments) == 0
        assert "/EmbeddedFiles" not in doc.Root.get("/Names", {})
        assert "/AF" not in doc.Root and "/AF" not in doc.pages[0].obj
        subtypes = [str(a.Subtype) for a in doc.pages[0].Annots]
        assert subtypes == ["/Link"]  # the attachment is gone, an ordinary link stays
        assert str(doc.pages[0].Annots[0].A.URI) == "https://lapor.go.id"
        assert not any(
            str(o.get("/Type", "")) == "/EmbeddedFile"
            for o in doc.objects
            if isinstance(o, pikepdf.Stream)
        )
        decoded = everything_decoded(doc)
        assert b"alert('muatan')" not in decoded and not has_author(decoded)
        assert b"(Isi halaman) Tj" in doc.pages[0].Contents.read_bytes()


def test_pdf_javascript_and_automatic_actions_are_removed():
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.add_blank_page()
    js = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('buka')"))
    pdf.Root.OpenAction = js
    pdf.Root.AA = pikepdf.Dictionary(
        WC=pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('tutup')"))
    )
    pdf.pages[0].obj.AA = pikepdf.Dictionary(
        O=pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('hal')"))
    )
    script = pdf.make_indirect(
        pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pdf.make_stream(b"app.alert('nama')"))
    )
    pdf.Root.Names = pikepdf.Dictionary(
        JavaScript=pikepdf.Dictionary(Names=pikepdf.Array([pikepdf.String("skrip"), script]))
    )
    launch = pikepdf.Dictionary(
        S=pikepdf.Name.Launch, F=pikepdf.String("cmd.exe"), Next=js
    )  # a launch behind a link
    goto = pikepdf.Dictionary(
        S=pikepdf.Name.GoTo,
        D=pikepdf.Array([pdf.pages[1].obj, pikepdf.Name.Fit]),
        Next=pikepdf.Dictionary(
            S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('lanjut')")
        ),
    )
    pdf.pages[0].Annots = pdf.make_indirect(
        pikepdf.Array(
            [
                pikepdf.Dictionary(Subtype=pikepdf.Name.Link, Rect=[0, 0, 10, 10], A=launch),
                pikepdf.Dictionary(Subtype=pikepdf.Name.Link, Rect=[20, 0, 30, 10], A=goto),
            ]
        )
    )
    out = stored_bytes("surat.pdf", save(pdf), "application/pdf")
    with pikepdf.open(io.BytesIO(out)) as doc:
        assert len(doc.pages) == 2
        assert "/OpenAction" not in doc.Root and "/AA" not in doc.Root
        assert "/AA" not in doc.pages[0].obj
        assert "/JavaScript" not in doc.Root.get("/Names", {})
        links = list(doc.pages[0].Annots)
        assert "/A" not in links[0]
        assert str(links[1].A.S) == "/GoTo" and "/Next" not in links[1].A  # the go-to stays
        decoded = everything_decoded(doc)
        assert b"app.alert" not in decoded and b"/JavaScript" not in decoded
        assert b"cmd.exe" not in decoded


def test_pdf_opening_at_a_page_is_kept():
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.add_blank_page()
    pdf.Root.OpenAction = pikepdf.Array([pdf.pages[1].obj, pikepdf.Name.Fit])
    out = stored_bytes("surat.pdf", save(pdf), "application/pdf")
    with pikepdf.open(io.BytesIO(out)) as doc:
        assert doc.Root.OpenAction[0].objgen == doc.pages[1].obj.objgen


def test_pdf_pages_and_text_are_unchanged():
    data, _jpeg = scanned_pdf(pages=3)
    out = stored_bytes("scan.pdf", data, "application/pdf")
    with pikepdf.open(io.BytesIO(data)) as before, pikepdf.open(io.BytesIO(out)) as after:
        assert len(after.pages) == 3
        for a, b in zip(before.pages, after.pages, strict=True):
            assert a.Contents.read_bytes() == b.Contents.read_bytes()
            assert list(a.MediaBox) == list(b.MediaBox)


# --- images ------------------------------------------------------------------------------------


def _png(img, **params) -> bytes:
    out = io.BytesIO()
    img.save(out, format="PNG", **params)
    return out.getvalue()


def _picture(mode):
    base = Image.new("RGBA", (16, 12), (220, 20, 60, 255))
    for x in range(8):
        for y in range(12):
            base.putpixel((x, y), (30, 144, 255, 128))
    if mode == "I;16":
        return base.convert("L").convert("I;16")
    return base.convert(mode)


def test_palette_png_keeps_its_colours_and_transparency():
    img = Image.new("P", (20, 20), 1)
    palette = [0, 0, 0, 255, 0, 0, 30, 144, 255] + [0, 0, 0] * 253
    img.putpalette(palette)
    for x in range(10, 20):
        for y in range(20):
            img.putpixel((x, y), 2)
    for y in range(20):
        img.putpixel((0, y), 0)
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", AUTHOR)
    data = _png(img, transparency=0, pnginfo=info)
    out = stored_bytes("tangkapan.png", data, "image/png")
    assert not has_author(out)
    with Image.open(io.BytesIO(out)) as stored:
        rgba = stored.convert("RGBA")
        assert rgba.getpixel((5, 5)) == (255, 0, 0, 255)
        assert rgba.getpixel((15, 5)) == (30, 144, 255, 255)
        assert rgba.getpixel((0, 5))[3] == 0  # transparent stays transparent
        assert (
            ImageChops.difference(rgba, Image.open(io.BytesIO(data)).convert("RGBA")).getbbox()
            is None
        )


def test_palette_png_with_alpha_palette_keeps_every_colour():
    base = _picture("RGBA")
    data = _png(base.quantize(4))  # a palette with per-entry alpha (tRNS), as optimisers write
    out = stored_bytes("kecil.png", data, "image/png")
    before = Image.open(io.BytesIO(data)).convert("RGBA")
    after = Image.open(io.BytesIO(out)).convert("RGBA")
    assert ImageChops.difference(before, after).getbbox() is None


@pytest.mark.parametrize("mode", ["1", "L", "LA", "P", "RGB", "RGBA", "I;16"])
def test_png_modes_come_out_pixel_identical(mode):
    data = _png(_picture(mode))
    out = stored_bytes("gambar.png", data, "image/png")
    with Image.open(io.BytesIO(data)) as before, Image.open(io.BytesIO(out)) as after:
        assert after.mode == before.mode and after.size == before.size
        if mode == "P":
            before, after = before.convert("RGBA"), after.convert("RGBA")
        assert before.tobytes() == after.tobytes()


def test_rgb_png_keeps_its_transparent_colour():
    img = Image.new("RGB", (10, 10), (0, 255, 0))
    img.putpixel((1, 1), (255, 255, 255))
    out = stored_bytes("kunci.png", _png(img, transparency=(255, 255, 255)), "image/png")
    rgba = Image.open(io.BytesIO(out)).convert("RGBA")
    assert rgba.getpixel((1, 1))[3] == 0 and rgba.getpixel((5, 5)) == (0, 255, 0, 255)


def test_cmyk_jpeg_is_stored_as_rgb_with_its_colour():
    out_cmyk = io.BytesIO()
    Image.new("CMYK", (20, 20), (0, 255, 255, 0)).save(out_cmyk, format="JPEG", exif=exif())
    out = stored_bytes("cetak.jpg", out_cmyk.getvalue(), "image/jpeg")
    with Image.open(io.BytesIO(out)) as img:
        assert img.mode == "RGB" and not img.getexif()
        r, g, b = img.getpixel((10, 10))
        assert r > 230 and g < 25 and b < 25
    assert not has_author(out)


def test_exif_orientation_is_applied_and_then_dropped():
    img = Image.new("RGB", (60, 20), (255, 0, 0))
    for x in range(30, 60):
        for y in range(20):
            img.putpixel((x, y), (0, 0, 255))
    buf = io.BytesIO()
    img.save(buf, format="JPEG", exif=exif(orientation=6), quality=95)
    out = stored_bytes("miring.jpg", buf.getvalue(), "image/jpeg")
    with Image.open(io.BytesIO(out)) as stored:
        assert stored.size == (20, 60) and not stored.getexif()
        # Orientation 6: turned 90° clockwise for display, so the left half (red) ends up on top.
        top, bottom = stored.getpixel((10, 5)), stored.getpixel((10, 55))
        assert top[0] > 200 and top[2] < 60 and bottom[2] > 200 and bottom[0] < 60
    assert not has_author(out)


def test_palette_png_with_orientation_is_turned_and_keeps_its_colours():
    img = Image.new("P", (30, 10), 1)
    img.putpalette([0, 0, 0, 255, 0, 0, 0, 0, 255] + [0, 0, 0] * 253)
    for x in range(15, 30):
        for y in range(10):
            img.putpixel((x, y), 2)
    out = stored_bytes("miring.png", _png(img, exif=exif(orientation=6)), "image/png")
    with Image.open(io.BytesIO(out)) as stored:
        assert stored.size == (10, 30) and not stored.getexif()
        rgb = stored.convert("RGB")
        assert rgb.getpixel((5, 2)) == (255, 0, 0) and rgb.getpixel((5, 27)) == (0, 0, 255)
    assert not has_author(out)


@pytest.mark.parametrize("kind", ["jpeg", "png", "webp"])
def test_image_metadata_is_gone_from_the_stored_bytes(kind):
    img = Image.new("RGB", (40, 30), (10, 200, 10))
    buf = io.BytesIO()
    icc = b"\x00" * 40 + AUTHOR.encode()  # an ICC profile carrying a name
    if kind == "jpeg":
        data = photo_jpeg(icc_profile=icc)  # EXIF, XMP, IPTC, a comment and an ICC profile
    elif kind == "png":
        info = PngImagePlugin.PngInfo()
        info.add_text("Author", AUTHOR)
        info.add_itxt("Description", AUTHOR, lang="id")
        img.save(buf, format="PNG", pnginfo=info, exif=exif(), icc_profile=icc)
        data = buf.getvalue()
    else:
        img.save(buf, format="WEBP", exif=exif(), xmp=XMP, icc_profile=icc)
        data = buf.getvalue()
    assert has_author(data)
    content_type = {"jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp"}[kind]
    out = stored_bytes(f"foto.{kind}", data, content_type)
    assert not has_author(out)
    with Image.open(io.BytesIO(out)) as stored:
        assert not stored.getexif() and "icc_profile" not in stored.info
        assert "comment" not in stored.info and "xmp" not in stored.info


# --- pixel limit -------------------------------------------------------------------------------


@pytest.fixture
def pixel_limit(settings):
    saved = Image.MAX_IMAGE_PIXELS
    settings.UPLOAD_MAX_PIXELS = 10_000
    yield
    Image.MAX_IMAGE_PIXELS = saved


def test_default_pixel_limit_is_60_megapixels():
    from django.conf import settings

    assert settings.UPLOAD_MAX_PIXELS == 60_000_000


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
@pytest.mark.parametrize("size", [(101, 100), (150, 100), (300, 300)])
def test_image_over_the_pixel_limit_is_refused_before_decoding(size, pixel_limit, monkeypatch):
    """Between the limit and twice it Pillow would only warn; above it Pillow's own error must not be
    reported as a damaged picture."""
    data = _png(Image.new("L", size, 0))
    decoded = []
    real_load = ImageFile.ImageFile.load
    monkeypatch.setattr(
        ImageFile.ImageFile, "load", lambda self: decoded.append(1) or real_load(self)
    )
    with pytest.raises(files.FileRejected) as exc:
        files.clean_upload(SimpleUploadedFile("besar.png", data, content_type="image/png"))
    assert exc.value.code == "too_many_pixels"
    assert str(exc.value) == "Gambar terlalu besar: paling banyak 0,01 megapiksel."
    assert decoded == []
    assert not StoredFile.objects.exists()


def test_image_at_the_pixel_limit_is_accepted(pixel_limit):
    out = stored_bytes("pas.png", _png(Image.new("L", (100, 100), 7)), "image/png")
    assert Image.open(io.BytesIO(out)).size == (100, 100)


def test_pixel_limit_message_names_whole_megapixels(settings):
    settings.UPLOAD_MAX_PIXELS = 60_000_000
    assert str(files._too_many_pixels(60_000_000)) == (
        "Gambar terlalu besar: paling banyak 60 megapiksel."
    )


# --- storage -----------------------------------------------------------------------------------


def test_store_removes_the_file_when_its_row_cannot_be_saved(settings, monkeypatch):
    from pathlib import Path

    def broken(self, *args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(StoredFile, "save", broken)
    with pytest.raises(RuntimeError):
        files.store(files.CleanFile("bukti.txt", "text/plain", b"isi"), encrypt=True)
    root = Path(settings.MEDIA_ROOT)
    assert not root.exists() or not [p for p in root.rglob("*") if p.is_file()]


def test_removed_on_failure_deletes_the_stored_files_and_keeps_the_error(settings):
    from pathlib import Path

    from django.db import transaction

    with pytest.raises(ValueError, match="gagal"):
        with files.removed_on_failure() as stored, transaction.atomic():
            stored.append(files.store(files.CleanFile("a.txt", "text/plain", b"satu")))
            stored.append(files.store(files.CleanFile("b.txt", "text/plain", b"dua")))
            raise ValueError("gagal")
    assert not [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]
    assert not StoredFile.objects.exists()


def test_delete_removes_the_storage_object_only_when_the_deletion_commits(
    django_capture_on_commit_callbacks,
):
    from django.db import transaction

    kept = files.store(files.CleanFile("a.txt", "text/plain", b"tetap"), encrypt=True)
    pk = kept.pk
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            files.delete(kept)
            raise RuntimeError("rolled back")
    kept = StoredFile.objects.get(pk=pk)
    assert files.read(kept) == b"tetap"

    name, storage = kept.file.name, kept.file.storage
    with django_capture_on_commit_callbacks(execute=True):
        files.delete(kept)
        assert storage.exists(name)  # not before the commit
    assert not storage.exists(name) and not StoredFile.objects.exists()


def test_a_multi_picture_jpeg_is_stored_as_its_first_picture_without_metadata():
    """Many Android cameras save "Ultra HDR" photos as MPO: a JPEG followed by more pictures."""
    main = Image.new("RGB", (40, 30), (200, 30, 30))
    gain_map = Image.new("RGB", (20, 15), (90, 90, 90))
    out = io.BytesIO()
    main.save(out, format="MPO", save_all=True, append_images=[gain_map], exif=exif())
    data = out.getvalue()
    assert Image.open(io.BytesIO(data)).format == "MPO"
    stored = stored_bytes("IMG_20260601.jpg", data, "image/jpeg")
    with Image.open(io.BytesIO(stored)) as img:
        assert img.format == "JPEG" and img.size == (40, 30)
        assert not img.getexif() and getattr(img, "n_frames", 1) == 1
    assert b"KameraMerek" not in stored and not has_author(stored)


def test_a_file_over_the_limit_is_told_the_limit_as_configured(settings):
    """The refusal says the same limit as the page's help: 2,5 MB, not a rounded-down 2."""
    settings.UPLOAD_MAX_BYTES = int(2.5 * 2**20)
    upload = io.BytesIO(b"a" * (settings.UPLOAD_MAX_BYTES + 1))
    upload.name = "besar.txt"
    with pytest.raises(files.FileRejected) as exc:
        files.clean_upload(upload)
    assert str(exc.value) == "Berkas terlalu besar: paling besar 2,5 MB."
    assert files.max_megabytes(512 * 1024) == "0,5"
