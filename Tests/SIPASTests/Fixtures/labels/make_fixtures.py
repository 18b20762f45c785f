"""Writes the answer-label and decimal-comma fixtures from ../design/sipas-subset.csv.

Run from this folder: python3 make_fixtures.py (Python 3.11; seeded, so the same bytes every time).

- codes.csv: the subset with 12 blank answer cells set to the presets' missing codes (6 × 9, 6 × 99): the
  reference every other file must reproduce exactly.
- labels-vi.csv: codes.csv with every answer written as its Vietnamese label (seed 000 §6.2b), 9 as
  "Không biết" and 99 as "Không trả lời", in mixed case, some cells in NFD, some with extra spaces.
- labels-en.csv: the same with the English labels ("Very satisfied" …, "Don't know", "No answer").
- semicolon-decimal-comma.csv: codes.csv delimited by ';' with decimal commas in weight ("34,9185"), as
  Vietnamese Excel saves it; about 5% of answers written "4,0".
- quoted-decimal-comma.csv: codes.csv delimited by ',' with each weight whose comma form is unambiguous
  written as a quoted decimal comma ("34,9185"); weights such as 9.997 (one to three digits, a mark, three
  digits: "9,997" could be 9997) keep their point; about 5% of answers written "4,0" (quoted) or "4.0".
"""
import csv
import random
import re
import unicodedata

SOURCE = "../design/sipas-subset.csv"
ITEMS = [f"q{i:02d}" for i in range(1, 17)] + ["overall"]
VI = {"1": "Rất không hài lòng", "2": "Không hài lòng", "3": "Bình thường", "4": "Hài lòng", "5": "Rất hài lòng",
      "9": "Không biết", "99": "Không trả lời"}
EN = {"1": "Very dissatisfied", "2": "Dissatisfied", "3": "Neutral", "4": "Satisfied", "5": "Very satisfied",
      "9": "Don't know", "99": "No answer"}

rng = random.Random(20250114)

with open(SOURCE, newline="", encoding="utf-8") as f:
    rows = list(csv.reader(f))
header, body = rows[0], rows[1:]
item_columns = [header.index(name) for name in ITEMS]
weight = header.index("weight")

# 12 blank answer cells become missing codes.
blanks = [(r, c) for r, row in enumerate(body) for c in item_columns if row[c] == ""]
for k, (r, c) in enumerate(sorted(rng.sample(blanks, 12))):
    body[r][c] = "9" if k % 2 == 0 else "99"


def write(name, rows, delimiter=","):
    with open(name, "w", newline="", encoding="utf-8") as f:
        csv.writer(f, delimiter=delimiter, lineterminator="\n").writerows(rows)


def spelled(text):
    """The label as people and form tools write it: mixed case, NFD, extra spaces."""
    style = rng.randrange(6)
    if style == 1:
        text = text.upper()
    elif style == 2:
        text = text.lower()
    elif style == 3:
        text = unicodedata.normalize("NFD", text)
    elif style == 4:
        text = "  " + text.replace(" ", "   ", 1) + " "
    elif style == 5:
        text = unicodedata.normalize("NFD", text.lower()) + "\t"
    return text


write("codes.csv", [header] + body)
for name, labels in [("labels-vi.csv", VI), ("labels-en.csv", EN)]:
    out = [header]
    for row in body:
        row = list(row)
        for c in item_columns:
            if row[c] != "":
                row[c] = spelled(labels[row[c]])
        out.append(row)
    write(name, out)

ambiguous = re.compile(r"^-?[1-9][0-9]{0,2}\.[0-9]{3}$")
semicolon, quoted, kept = [header], [header], 0
for row in body:
    a, b = list(row), list(row)
    a[weight] = row[weight].replace(".", ",")
    if ambiguous.match(row[weight]):
        kept += 1
    else:
        b[weight] = row[weight].replace(".", ",")
    for c in item_columns:
        if row[c] in "12345" and row[c] != "" and rng.random() < 0.05:
            a[c] = row[c] + ",0"
            b[c] = row[c] + (",0" if rng.random() < 0.5 else ".0")
    semicolon.append(a)
    quoted.append(b)
write("semicolon-decimal-comma.csv", semicolon, delimiter=";")
write("quoted-decimal-comma.csv", quoted)
print(f"{len(body)} rows; {kept} weights kept with a point in quoted-decimal-comma.csv")
