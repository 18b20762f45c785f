#!/usr/bin/env bash
# Renders the user guides' pictures (docs/huong-dan/hinh/*.png, docs/guide/images/*.png) from the report of the
# bundled survey: each chart of the HTML report is cut out with the report's own style sheet and photographed by
# headless Chromium. Run from the repository root after `swift build`:  bash scripts/guide-pictures.sh
# (SIPAS=/path/to/sipas to use another binary). Every picture is checked to stay under 300 KB.
set -euo pipefail
sipas=${SIPAS:-.build/debug/sipas}
chromium=$(command -v chromium || command -v chromium-browser)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$sipas" generate --respondents 2500 --seed 2023 --year 2023 --output "$work/sipas-2023.csv" > /dev/null
render() {  # language, province, output folder, chart id, file name, height
    local lang=$1 province=$2 folder=$3 chart=$4 name=$5 height=$6
    local report="$work/report-$lang.html"
    [ -f "$report" ] || "$sipas" report datasets/sipas-2024-synthetic.csv --instrument khanhhoa-admin --by unit_id \
        --strata stratum --cluster cluster --weight weight --province "$province" --year 2024 \
        --previous "$work/sipas-2023.csv" --format html --output "$report" --lang "$lang" > /dev/null
    python3 - "$report" "$chart" "$work/$name.html" <<'PY'
import re, sys
page, chart, out = sys.argv[1:]
html = open(page, encoding="utf-8").read()
style = re.search(r"<style>.*?</style>", html, re.S).group(0)
start = html.index(f'<figure class="chart" id="chart-{chart}"')
figure = html[start:html.index("</figure>", start) + len("</figure>")]
open(out, "w", encoding="utf-8").write(
    f'<!doctype html><html><head><meta charset="utf-8">{style}'
    '<style>body{margin:0;padding:16px;width:620px;background:#fff} figure{margin:0}</style>'
    f'</head><body>{figure}</body></html>')
PY
    "$chromium" --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$work/profile" \
        --window-size=652,"$height" --screenshot="$folder/$name.png" "file://$work/$name.html" 2> /dev/null
    local size; size=$(stat -c %s "$folder/$name.png")
    [ "$size" -lt 300000 ] || { echo "$folder/$name.png is $size bytes (limit 300 KB)" >&2; exit 1; }
    echo "$folder/$name.png ($size bytes)"
}
render vi "Tỉnh mẫu" docs/huong-dan/hinh units-ranked chi-so-theo-don-vi 1590
render vi "Tỉnh mẫu" docs/huong-dan/hinh priority-matrix ma-tran-uu-tien 700
render en "Sample province" docs/guide/images units-ranked units-ranked 1590
render en "Sample province" docs/guide/images priority-matrix priority-matrix 700
