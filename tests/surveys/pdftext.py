"""Just enough PDF text extraction (pikepdf + the fonts' ToUnicode maps) to read what WeasyPrint printed."""

import io
import re

import pikepdf


def _cmap(font) -> dict[int, str]:
    out: dict[int, str] = {}
    if "/ToUnicode" not in font:
        return out
    data = font.ToUnicode.read_bytes().decode("latin-1")
    for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.S):
        for src, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            out[int(src, 16)] = bytes.fromhex(dst).decode("utf-16-be", "replace")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", data, re.S):
        for lo, hi, dst in re.findall(
            r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block
        ):
            base = int(dst, 16)
            for i, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                out[code] = chr(base + i)
    return out


def pdf_text(data: bytes) -> str:
    pdf = pikepdf.open(io.BytesIO(data))
    chunks = []
    for page in pdf.pages:
        fonts = page.Resources.get("/Font", {})
        maps = {
            name: (_cmap(fonts[name]), fonts[name].get("/Subtype") == "/Type0")
            for name in fonts.keys()
        }
        current = ({}, True)
        for operands, operator in pikepdf.parse_content_stream(page):
            op = str(operator)
            if op == "Tf":
                current = maps.get(str(operands[0]), ({}, True))
            elif op in ("Tj", "TJ"):
                items = operands[0] if op == "TJ" else [operands[0]]
                cmap, wide = current
                for item in items:
                    if isinstance(item, pikepdf.String):
                        raw = bytes(item)
                        step = 2 if wide else 1
                        for i in range(0, len(raw), step):
                            code = int.from_bytes(raw[i : i + step], "big")
                            chunks.append(cmap.get(code, ""))
                    elif float(item) < -200:
                        chunks.append(" ")
            elif op in ("ET", "Td", "TD", "T*"):
                chunks.append("\n" if op == "ET" else " ")
    return "".join(chunks)
