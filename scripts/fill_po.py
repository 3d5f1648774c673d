"""Fill English msgstr in a .po file from a list of translations given in msgid order (dev helper).

Usage: python scripts/fill_po.py path/to/django.po translations.txt
translations.txt holds one English line per msgid, in the order the msgids appear in the .po file.
"""

import re
import sys


def main(po_path, tr_path):
    text = open(po_path, encoding="utf-8").read()
    lines = [line.rstrip("\n") for line in open(tr_path, encoding="utf-8")]
    blocks = text.split("\n\n")
    out, i = [blocks[0]], 0
    for block in blocks[1:]:
        m = re.search(r'msgid ((?:".*"\n?)+)msgstr ""', block)
        if m and "".join(re.findall(r'"(.*)"', m.group(1))):
            en = lines[i].replace("\\", "\\\\").replace('"', '\\"')
            i += 1
            block = re.sub(
                r'msgstr ""(\n".*")*', lambda _m, en=en: f'msgstr "{en}"', block, count=1
            )
            block = block.replace("#, fuzzy\n", "")
        out.append(block)
    assert i == len(lines), f"{i} msgids but {len(lines)} translations"
    open(po_path, "w", encoding="utf-8").write("\n\n".join(out))


if __name__ == "__main__":
    main(*sys.argv[1:])
