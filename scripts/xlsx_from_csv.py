#!/usr/bin/env python3
"""Writes a CSV survey file as an .xlsx workbook (one sheet 'survey', header in row 1) with xlsxwriter: whole
numbers and decimals become number cells, other texts string cells, blanks empty cells. Texts go into the shared
string table, as Excel saves them; --inline writes them into the cells (xlsxwriter's constant-memory mode), as
openpyxl does.

    python3 scripts/xlsx_from_csv.py survey.csv survey.xlsx [--inline]
"""
import csv
import re
import sys

import xlsxwriter

INTEGER = re.compile(r"-?\d+")
DECIMAL = re.compile(r"-?\d+\.\d+")


def main(source, target, inline=False):
    workbook = xlsxwriter.Workbook(target, {"constant_memory": inline, "strings_to_numbers": False})
    sheet = workbook.add_worksheet("survey")
    with open(source, encoding="utf-8-sig", newline="") as handle:
        for number, row in enumerate(csv.reader(handle)):
            for column, text in enumerate(row):
                if text == "":
                    continue
                if number > 0 and (INTEGER.fullmatch(text) or DECIMAL.fullmatch(text)):
                    sheet.write_number(number, column, float(text))
                else:
                    sheet.write_string(number, column, text)
    workbook.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], inline="--inline" in sys.argv[3:])
