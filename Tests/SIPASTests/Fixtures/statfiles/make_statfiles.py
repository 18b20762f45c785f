"""Writes the SPSS/Stata fixtures of StatFileReaderTests with pyreadstat (an independent writer of ReadStat files).

Run from the package root:  python3 Tests/SIPASTests/Fixtures/statfiles/make_statfiles.py
(pyreadstat 1.3.8, pandas; the output is deterministic.)

From the bundled dataset, units U01-U04, it writes
  subset.csv    the table as CSV (with a few 9/99 codes, an invalid 6 and a row without criteria put in: see below): what every other file must read as (answer codes incl. 9/99 and invalid 0/6)
  survey.sav    SPSS: value labels on q01-overall and unit_code, variable labels, user-missing 9/99 declared
                on q01-q16, a missing RANGE 7-8 on q03 (seven cells 8 = "refused", blank in the CSV), a range
                90-99 on overall, a string column (unit_name, Vietnamese), a DATE column, weights
  survey.zsav   the same, compressed (ZSAV)
  survey.dta    Stata 118: 9 -> .a "Không biết", 99 -> .b "Không trả lời" in q01-q16 and overall, the seven
                refused q03 cells as .c; the same labels, strings, a %td date and weights
"""
import datetime
import os

import pandas as pd
import pyreadstat

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.abspath(os.path.join(here, "..", "..", "..", ".."))
data = pd.read_csv(os.path.join(root, "datasets", "sipas-2024-synthetic.csv"), dtype={"unit_id": str})
data = data[data.unit_id.isin(["U01", "U02", "U03", "U04"])].reset_index(drop=True)
items = [f"q{i:02d}" for i in range(1, 17)] + ["overall"]
for item in items:
    data[item] = data[item].astype("Int64")
units = sorted(data.unit_id.unique())
data.insert(3, "unit_code", [units.index(u) + 1 for u in data.unit_id])
data["interview_date"] = [datetime.date(2024, 5, 1) + datetime.timedelta(days=int(i) % 30) for i in data.respondent_id]

# The four units hold no "don't know" codes: put some in (9 in q01 rows 5-6 and overall row 30, 99 in q05 row 8
# and overall row 31, 0-based) and an invalid 6 in q10 row 40.
for item, row, code in [("q01", 5, 9), ("q01", 6, 9), ("overall", 30, 9), ("q05", 8, 99), ("overall", 31, 99), ("q10", 40, 6)]:
    data.loc[row, item] = code
# Row 50 answers no criterion (only overall): every reader must exclude it with that reason.
for item in items[:-1]:
    data.loc[50, item] = pd.NA

# Seven q03 answers the SPSS/Stata files mark "refused" (8 / .c); blank in the CSV.
refused = [int(i) for i in data.index[data.q03.notna() & (data.q03 == 4)][:7]]

csv = data.copy()
csv.loc[refused, "q03"] = pd.NA
csv["interview_date"] = [d.isoformat() for d in csv.interview_date]
csv.to_csv(os.path.join(here, "subset.csv"), index=False)

likert = {1.0: "Rất không hài lòng", 2.0: "Không hài lòng", 3.0: "Bình thường", 4.0: "Hài lòng", 5.0: "Rất hài lòng"}
unit_names = {float(units.index(u) + 1): data.unit_name[data.unit_id == u].iloc[0] for u in units}
labels = {name: f"Tiêu chí {name}" for name in items}
labels.update({"overall": "Hài lòng chung", "unit_code": "Mã đơn vị", "unit_name": "Tên đơn vị", "weight": "Trọng số",
               "interview_date": "Ngày phỏng vấn"})

# SPSS.
sav = data.copy()
sav.loc[refused, "q03"] = 8
for item in items:
    sav[item] = sav[item].astype("float64")
sav_value_labels = {item: {**likert, 9.0: "Không biết", 99.0: "Không trả lời"} for item in items}
sav_value_labels["q03"][8.0] = "Từ chối trả lời"
sav_value_labels["unit_code"] = unit_names
missing = {item: [9, 99] for item in items if item not in ("q03", "overall")}
missing["q03"] = [{"lo": 7, "hi": 8}, 9]
missing["overall"] = [{"lo": 90, "hi": 99}, 9]
common = dict(column_labels=labels, variable_value_labels=sav_value_labels, missing_ranges=missing)
pyreadstat.write_sav(sav, os.path.join(here, "survey.sav"), **common)
pyreadstat.write_sav(sav, os.path.join(here, "survey.zsav"), compress=True, **common)

# Stata.
dta = data.copy()
for item in items:
    values = [None if pd.isna(v) else "a" if v == 9 else "b" if v == 99 else float(v) for v in data[item]]
    if item == "q03":
        for row in refused:
            values[row] = "c"
    dta[item] = pd.Series(values, dtype=object)
dta_value_labels = {item: {**likert, "a": "Không biết", "b": "Không trả lời"} for item in items}
dta_value_labels["q03"]["c"] = "Từ chối trả lời"
dta_value_labels["unit_code"] = unit_names
pyreadstat.write_dta(dta, os.path.join(here, "survey.dta"), column_labels=labels, variable_value_labels=dta_value_labels,
                     missing_user_values={item: ["a", "b", "c"] for item in items}, version=15)
print(len(data), "rows;", "refused q03 rows (0-based):", refused)
