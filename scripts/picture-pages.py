#!/usr/bin/env python3
"""Pages for the user guides' pictures (called by scripts/guide-pictures.sh; standard library only).

  picture-pages.py terminal TEXT_FILE OUT.html TITLE
      a terminal window showing a session as tmux captured it (prompt lines in colour)
  picture-pages.py workbook BOOK.xlsx OUT.html vi|en
      the first sheet of a workbook drawn as a spreadsheet program shows it: column letters, row numbers,
      the file's column widths, bold cells, the frozen header rows (a line below them), numbers in the
      cell's number format with the language's decimal mark, and the sheet tabs

The workbook page is drawn from the file's own XML (sheet, shared strings, styles), so what the picture shows
is what `sipas … --output FILE.xlsx` wrote.
"""
import html
import re
import sys
import zipfile
import xml.etree.ElementTree as ET

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def terminal(text_file, out, title):
    lines = open(text_file, encoding="utf-8").read().rstrip("\n").split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    body = []
    for line in lines:
        if line.startswith("sipas> "):
            body.append('<span class="p">sipas&gt; </span><span class="c">%s</span>' % html.escape(line[7:]))
        else:
            body.append(html.escape(line))
    page = """<!doctype html><html><head><meta charset="utf-8"><style>
body{margin:0;padding:16px;background:#fff;font-family:sans-serif}
.win{display:inline-block;border-radius:8px;overflow:hidden;box-shadow:0 2px 8px #0004;background:#1e1f24}
.bar{background:#33353c;color:#ccc;font-size:13px;padding:6px 12px}
.bar i{display:inline-block;width:11px;height:11px;border-radius:6px;margin-right:6px;background:#ff5f57}
.bar i+i{background:#febc2e}.bar i+i+i{background:#28c840;margin-right:14px}
pre{margin:0;padding:12px 16px;color:#e6e6e6;font:14px/1.35 "Liberation Mono","DejaVu Sans Mono",monospace}
.p{color:#7fd17f;font-weight:bold}.c{color:#fff;font-weight:bold}
</style></head><body><div class="win"><div class="bar"><i></i><i></i><i></i>%s</div><pre>%s</pre></div></body></html>
""" % (html.escape(title), "\n".join(body))
    open(out, "w", encoding="utf-8").write(page)


def column_index(ref):
    letters = re.match(r"[A-Z]+", ref).group(0)
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def letters(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def workbook(book, out, language):
    z = zipfile.ZipFile(book)
    strings = []
    if "xl/sharedStrings.xml" in z.namelist():
        for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", NS):
            strings.append("".join(t.text or "" for t in si.iter("{%s}t" % NS["m"])))
    styles = ET.fromstring(z.read("xl/styles.xml"))
    formats = {int(f.get("numFmtId")): f.get("formatCode") for f in styles.findall("m:numFmts/m:numFmt", NS)}
    fonts = [f.find("m:b", NS) is not None for f in styles.findall("m:fonts/m:font", NS)]
    xfs = []
    for xf in styles.findall("m:cellXfs/m:xf", NS):
        code = formats.get(int(xf.get("numFmtId", "0")), "General")
        xfs.append((code, fonts[int(xf.get("fontId", "0"))]))
    wb = ET.fromstring(z.read("xl/workbook.xml"))
    sheets = [s.get("name") for s in wb.findall("m:sheets/m:sheet", NS)]
    rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    first = wb.find("m:sheets/m:sheet", NS).get(REL)
    target = next(r.get("Target") for r in rels if r.get("Id") == first)
    sheet = ET.fromstring(z.read("xl/" + target.lstrip("/").removeprefix("xl/")))
    widths = {}
    for col in sheet.findall("m:cols/m:col", NS):
        for i in range(int(col.get("min")) - 1, int(col.get("max"))):
            widths[i] = float(col.get("width"))
    pane = sheet.find("m:sheetViews/m:sheetView/m:pane", NS)
    frozen = int(float(pane.get("ySplit", "0"))) if pane is not None and pane.get("state") == "frozen" else 0
    point, group = (",", ".") if language == "vi" else (".", ",")

    def plain(x, code):
        m = re.fullmatch(r"(#,##)?0(?:\.(0+))?", code)
        if not m:
            return None
        decimals = len(m.group(2) or "")
        text = f"{x:{',' if m.group(1) else ''}.{decimals}f}"
        return text.replace(",", "\x00").replace(".", point).replace("\x00", group)

    def shown(value, code):
        x = float(value)
        # A conditional format of two sections, as sipas writes for p values: [<0.001]"< 0,001";0.000
        m = re.fullmatch(r'\[<([0-9.]+)\]"([^"]*)";(.+)', code or "")
        if m:
            return m.group(2) if x < float(m.group(1)) else (plain(x, m.group(3)) or value)
        return plain(x, code or "") or value

    rows = {}
    ncols = max(widths) + 1 if widths else 1
    for row in sheet.findall("m:sheetData/m:row", NS):
        r = int(row.get("r"))
        cells = {}
        for c in row.findall("m:c", NS):
            i = column_index(c.get("r"))
            ncols = max(ncols, i + 1)
            code, bold = xfs[int(c.get("s", "0"))]
            v = c.find("m:v", NS)
            if c.get("t") == "s":
                text, number = strings[int(v.text)], False
            elif c.get("t") == "inlineStr":
                text, number = "".join(t.text or "" for t in c.iter("{%s}t" % NS["m"])), False
            elif v is not None:
                text, number = shown(v.text, code), True
            else:
                continue
            cells[i] = (text, number, bold)
        rows[r] = cells
    last = max(rows) if rows else 1
    shown_rows = min(last, 24)
    px = [max(24, round(widths.get(i, 8.43) * 7 + 5)) for i in range(ncols)]
    out_rows = ['<tr><th class="corner"></th>' + "".join(
        f'<th style="width:{w}px">{letters(i)}</th>' for i, w in enumerate(px)) + "</tr>"]
    for r in range(1, shown_rows + 1):
        cells = rows.get(r, {})
        klass = ' class="freeze"' if r == frozen else ""
        tds = []
        i = 0
        while i < ncols:
            text, number, bold = cells.get(i, ("", False, False))
            span = 1
            # Text runs over empty neighbours, as in a spreadsheet (the title row).
            if text and not number:
                while i + span < ncols and (i + span) not in cells and len(text) * 7 > sum(px[i:i + span]):
                    span += 1
            style = []
            if number:
                style.append("text-align:right")
            if bold:
                style.append("font-weight:bold")
            attrs = (f' colspan="{span}"' if span > 1 else "") + (f' style="{";".join(style)}"' if style else "")
            tds.append(f"<td{attrs}>{html.escape(text)}</td>")
            i += span
        out_rows.append(f"<tr{klass}><th>{r}</th>{''.join(tds)}</tr>")
    tabs = "".join(f'<span class="tab{" on" if k == 0 else ""}">{html.escape(s)}</span>' for k, s in enumerate(sheets))
    page = """<!doctype html><html><head><meta charset="utf-8"><style>
body{margin:0;padding:16px;background:#fff;font-family:"Liberation Sans","DejaVu Sans",sans-serif}
.sheet{display:inline-block;border:1px solid #bbb;box-shadow:0 2px 8px #0003;background:#fff}
.name{background:#217346;color:#fff;font-size:13px;padding:6px 12px}
table{border-collapse:collapse;table-layout:fixed;font-size:12px}
td,th{border:1px solid #e1e1e1;padding:2px 4px;height:18px;white-space:nowrap;overflow:hidden;text-overflow:clip}
th{background:#f3f3f3;color:#555;font-weight:normal;text-align:center}
th.corner{width:30px}
tr.freeze td,tr.freeze th{border-bottom:2px solid #7a7a7a}
.tabs{background:#f3f3f3;border-top:1px solid #ccc;font-size:12px;padding:0 8px}
.tab{display:inline-block;padding:4px 12px;color:#444}.tab.on{background:#fff;color:#217346;font-weight:bold;border-bottom:2px solid #217346}
</style></head><body><div class="sheet"><div class="name">%s</div><table>%s</table><div class="tabs">%s</div></div></body></html>
""" % (html.escape(book.split("/")[-1]), "\n".join(out_rows), tabs)
    open(out, "w", encoding="utf-8").write(page)


if __name__ == "__main__":
    kind = sys.argv[1]
    if kind == "terminal":
        terminal(*sys.argv[2:5])
    elif kind == "workbook":
        workbook(*sys.argv[2:5])
    else:
        sys.exit("picture-pages.py: terminal|workbook")
