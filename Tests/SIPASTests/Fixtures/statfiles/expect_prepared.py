"""What an independent reader (pyreadstat 1.3.8) sees in the files `sipas prepare` writes: prepared-expected.json.

Run from the package root, after building sipas:
  for ext in sav dta; do
    .build/debug/sipas prepare Tests/SIPASTests/Fixtures/statfiles/survey.sav -i khanhhoa-admin \
      --strata stratum --cluster cluster --weight weight --output /tmp/sipas-prepared.$ext
  done
  python3 Tests/SIPASTests/Fixtures/statfiles/expect_prepared.py /tmp/sipas-prepared.sav /tmp/sipas-prepared.dta

Per file: the columns in order with their labels, value labels, count of non-missing values, the sum of each
numeric column, the display format of each date column, and the values of the first 40 rows (missing as null,
dates as ISO text; Stata reads whole labelled columns as integers).
"""
import datetime
import json
import math
import os
import sys

import pyreadstat

here = os.path.dirname(os.path.abspath(__file__))
result = {}
for path in sys.argv[1:]:
    kind = os.path.splitext(path)[1].lstrip(".")
    read = pyreadstat.read_sav if kind == "sav" else pyreadstat.read_dta
    data, meta = read(path)
    columns = []
    for name in data.columns:
        values = data[name].tolist()
        def clean(v):
            if v is None or (isinstance(v, float) and math.isnan(v)):
                return None
            if hasattr(v, "item"):
                v = v.item()
            if isinstance(v, (datetime.date, datetime.datetime)):
                return v.isoformat()
            return v
        values = [clean(v) for v in values]
        numeric = all(v is None or isinstance(v, (int, float)) for v in values)
        labels = meta.variable_value_labels.get(name, {})
        columns.append({
            "name": name,
            "label": meta.column_names_to_labels.get(name) or "",
            "value_labels": {str(int(k)) if float(k).is_integer() else repr(float(k)): v for k, v in labels.items()},
            "present": sum(v is not None and v != "" for v in values),
            "sum": math.fsum(v for v in values if v is not None) if numeric else None,
            "first": values[:40],
            "format": meta.original_variable_types.get(name, ""),
        })
    result[kind] = {"rows": len(data), "file_label": meta.file_label or "", "columns": columns}
with open(os.path.join(here, "prepared-expected.json"), "w", encoding="utf-8") as out:
    json.dump(result, out, ensure_ascii=False, indent=1)
    out.write("\n")
