#!/usr/bin/env python3
"""Writes the Excel fixtures of Tests/SIPASTests/Fixtures/xlsx from ../design/sipas-subset.csv.

Run in this folder:  python3 make_fixtures.py
Needs openpyxl (pip, 3.1.5 used), msoffcrypto-tool (pip, 6.x: the encrypted file) and LibreOffice's
`soffice` (Debian libreoffice-calc-nogui 7.4: the *-libreoffice files and the .ods). Deterministic but for the
timestamps the tools write into docProps/core.xml.
"""
import csv
import datetime
import io
import os
import re
import shutil
import subprocess
import tempfile
import zipfile

import msoffcrypto
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.join(HERE, "..", "design", "sipas-subset.csv")

with open(SOURCE, encoding="utf-8", newline="") as handle:
    rows = list(csv.reader(handle))
HEADER, DATA = rows[0], rows[1:]
ITEMS = [name for name in HEADER if re.fullmatch(r"q\d\d", name)] + ["overall"]


def typed(text):
    """A CSV cell as the value a person would type: whole numbers and decimals as numbers, the rest as text."""
    if text == "":
        return None
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    if re.fullmatch(r"-?\d+\.\d+", text):
        return float(text)
    return text


def save(workbook, name):
    path = os.path.join(HERE, name)
    workbook.save(path)
    return path


def plain():
    """(a) The CSV as a workbook: one sheet, header in row 1, numbers as numbers, blanks as empty cells."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "sipas-subset"
    sheet.append(HEADER)
    for row in DATA:
        sheet.append([typed(cell) for cell in row])
    return save(workbook, "plain.xlsx")


def office():
    """(b) The same answers as a provincial office's sheet: title and merged cells above the header, extra columns
    (a formula counter, a date, a yes/no box, a formula total), numbers typed as text in some cells, q16 entered as
    formulas, blank formatted rows below the data, a summary sheet and a hidden code-list sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Phiếu"
    columns = ["stt"] + HEADER + ["ngay_khao_sat", "dong_y", "tong_diem"]
    last = len(columns)
    letter = get_column_letter
    sheet["A1"] = "KẾT QUẢ KHẢO SÁT SỰ HÀI LÒNG CỦA NGƯỜI DÂN, TỔ CHỨC NĂM 2024"
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last)
    sheet["A2"] = "Đơn vị: Sở Nội vụ (dữ liệu nhập tay từ phiếu giấy)"
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=last)
    # Row 3 blank; row 4 groups the columns under merged headings.
    first_item = columns.index("q01") + 1
    sheet.cell(row=4, column=1, value="Thông tin chung")
    sheet.merge_cells(start_row=4, start_column=1, end_row=4, end_column=first_item - 1)
    sheet.cell(row=4, column=first_item, value="Đánh giá (1–5)")
    sheet.merge_cells(start_row=4, start_column=first_item, end_row=4, end_column=columns.index("overall") + 1)
    for index, name in enumerate(columns, start=1):
        cell = sheet.cell(row=5, column=index, value=name)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True)
    formulas = {}  # cell -> cached value, filled into the XML afterwards (openpyxl does not calculate)
    q_first, q_last = letter(first_item), letter(columns.index("q16") + 1)
    for offset, row in enumerate(DATA):
        number = 6 + offset
        values = dict(zip(HEADER, row))
        out = [None] * last
        out[0] = "=ROW()-5"
        formulas[f"A{number}"] = offset + 1
        for name, text in values.items():
            out[columns.index(name)] = typed(text)
        # Numbers typed as text: q01 on every 7th form, q02 with a leading space on every 11th, weight and the
        # respondent id as text on every 13th.
        if offset % 7 == 3 and values["q01"]:
            out[columns.index("q01")] = values["q01"]
        if offset % 11 == 5 and values["q02"]:
            out[columns.index("q02")] = " " + values["q02"]
        if offset % 13 == 8:
            out[columns.index("weight")] = values["weight"]
            out[columns.index("respondent_id")] = values["respondent_id"]
        # q16 as formulas: "=4" gives 4, '=""' gives an empty text (a blank answer).
        q16 = columns.index("q16")
        reference = f"{letter(q16 + 1)}{number}"
        out[q16] = f"={values['q16']}" if values["q16"] else '=""'
        formulas[reference] = int(values["q16"]) if values["q16"] else ""
        day = datetime.date(2024, 5, 2) + datetime.timedelta(days=offset % 40)
        out[columns.index("ngay_khao_sat")] = (datetime.datetime(2024, 6, 14, 9, 30) if offset == 0 else day)
        out[columns.index("dong_y")] = offset % 17 != 4
        total = f"{letter(last)}{number}"
        out[last - 1] = f"=SUM({q_first}{number}:{q_last}{number})"
        # SUM skips numbers stored as text, as Excel does.
        formulas[total] = sum(int(values[name]) for name in ITEMS[:-1]
                              if values[name] and not isinstance(out[columns.index(name)], str))
        sheet.append(out)
        sheet.cell(row=number, column=columns.index("ngay_khao_sat") + 1).number_format = "dd/mm/yyyy"
    sheet.cell(row=6, column=columns.index("ngay_khao_sat") + 1).number_format = "dd/mm/yyyy hh:mm"
    # Formatted but empty rows below the data (Excel keeps them in the file).
    for number in range(6 + len(DATA), 6 + len(DATA) + 4):
        sheet.cell(row=number, column=2).fill = PatternFill("solid", fgColor="FFFF00")
    summary = workbook.create_sheet("Tổng hợp")
    summary.append(["Bảng tổng hợp số phiếu"])
    summary.append([])
    summary.append(["unit_id", "so_phieu"])
    counts = {}
    for row in DATA:
        counts[row[HEADER.index("unit_id")]] = counts.get(row[HEADER.index("unit_id")], 0) + 1
    for unit, count in sorted(counts.items()):
        summary.append([unit, count])
    codes = workbook.create_sheet("Danh mục")
    codes.append(["ma", "ten"])
    codes.append([1, "Rất không hài lòng"])
    codes.sheet_state = "hidden"
    path = save(workbook, "office.xlsx")
    fill_cached_values(path, "xl/worksheets/sheet1.xml", formulas)
    return path


def fill_cached_values(path, part, values):
    """Writes each formula's result into its <v> element, as Excel would have saved it."""
    with zipfile.ZipFile(path) as archive:
        entries = [(info, archive.read(info.filename)) for info in archive.infolist()]
    pattern = re.compile(r'<c r="([A-Z]+\d+)"([^>]*)><f>(.*?)</f><v\s*/>|<c r="([A-Z]+\d+)"([^>]*)><f>(.*?)</f><v></v>')

    def replace(match):
        reference = match.group(1) or match.group(4)
        attributes = match.group(2) if match.group(1) else match.group(5)
        formula = match.group(3) if match.group(1) else match.group(6)
        value = values[reference]
        if isinstance(value, str):
            return f'<c r="{reference}"{attributes} t="str"><f>{formula}</f><v>{value}</v>'
        return f'<c r="{reference}"{attributes}><f>{formula}</f><v>{value}</v>'

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in entries:
            if info.filename == part:
                text, count = pattern.subn(replace, data.decode("utf-8"))
                assert count == len(values), (count, len(values))
                data = text.encode("utf-8")
            archive.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)


def libreoffice(source, target, filter_name="xlsx", infilter=None):
    """Converts `source` with LibreOffice headless into `target`."""
    with tempfile.TemporaryDirectory() as folder:
        profile = os.path.join(folder, "profile")
        command = ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", filter_name,
                   "--outdir", folder, source]
        if infilter:
            command[3:3] = [f"--infilter={infilter}"]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        produced = os.path.join(folder, os.path.splitext(os.path.basename(source))[0] + "." + filter_name.split(":")[0])
        shutil.move(produced, os.path.join(HERE, target))


def bad_files():
    """(c) Files that must fail with one located sentence."""
    # A text answer in cell H17 (q03, the 16th form) and a text weight in E20.
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Phiếu"
    columns = ["respondent_id", "unit_id", "stratum", "cluster", "weight"] + ITEMS
    sheet.append(columns)
    for offset, row in enumerate(DATA[:40]):
        values = dict(zip(HEADER, row))
        sheet.append([typed(values[name]) for name in columns])
    sheet["H17"] = "năm"
    sheet["E20"] = "không rõ"
    save(workbook, "text-in-answer.xlsx")

    plain_path = os.path.join(HERE, "plain.xlsx")
    data = open(plain_path, "rb").read()
    # A download cut short: the ZIP directory at the end is missing.
    open(os.path.join(HERE, "truncated.xlsx"), "wb").write(data[: len(data) // 2])
    # Bytes of the sheet's compressed stream overwritten: the archive opens, the sheet does not inflate.
    with zipfile.ZipFile(plain_path) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    damaged = bytearray(data)
    middle = start + info.compress_size // 2
    damaged[middle:middle + 64] = bytes(range(64))
    open(os.path.join(HERE, "damaged-sheet.xlsx"), "wb").write(bytes(damaged))
    # A sheet that is not well-formed XML (the archive itself is sound).
    with zipfile.ZipFile(plain_path) as archive:
        entries = [(item, archive.read(item.filename)) for item in archive.infolist()]
    with zipfile.ZipFile(os.path.join(HERE, "malformed-xml.xlsx"), "w", zipfile.ZIP_DEFLATED) as archive:
        for item, content in entries:
            if item.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(b"</row>", b"</rw>", 3)
            archive.writestr(item, content, compress_type=zipfile.ZIP_DEFLATED)
    # Password-protected: Excel's agile encryption (an OLE2 compound file), by msoffcrypto-tool.
    small = Workbook()
    small.active.append(["respondent_id", "q01"])
    small.active.append([1, 5])
    buffer = io.BytesIO()
    small.save(buffer)
    buffer.seek(0)
    office_file = msoffcrypto.OfficeFile(buffer)
    with open(os.path.join(HERE, "encrypted.xlsx"), "wb") as output:
        office_file.encrypt("matkhau", output)
    # A CSV renamed .xlsx, and a web page saved as .xls (what some web systems export).
    shutil.copy(SOURCE, os.path.join(HERE, "csv-named.xlsx"))
    with open(os.path.join(HERE, "web-page.xls"), "w", encoding="utf-8") as page:
        page.write("<html><body><table><tr><td>respondent_id</td><td>q01</td></tr><tr><td>1</td><td>5</td></tr></table></body></html>\n")


if __name__ == "__main__":
    plain()
    office()
    libreoffice(SOURCE, "plain-libreoffice.xlsx", "xlsx", infilter="CSV:44,34,76,1")
    libreoffice(os.path.join(HERE, "office.xlsx"), "office-libreoffice.xlsx")
    libreoffice(os.path.join(HERE, "plain.xlsx"), "plain.ods", "ods")
    libreoffice(os.path.join(HERE, "plain.xlsx"), "plain-libreoffice.xlsm", "xlsm:Calc MS Excel 2007 VBA XML")
    bad_files()
