#!/usr/bin/env bash
# Renders the user guides' pictures (docs/huong-dan/hinh/*.png, docs/guide/images/*.png, docs/report-example.png)
# with headless Chromium: each chart of the HTML report of the bundled survey, cut out with the report's own style
# sheet; the report's first screen; a session (the real `sipas` REPL run in tmux, its screen captured); and an
# Excel export (the workbook `sipas compare --output` writes, drawn from its XML by scripts/picture-pages.py). Run from the repository root after `swift build`:  bash scripts/guide-pictures.sh
# (SIPAS=/path/to/sipas to use another binary). Every picture is checked to stay under 300 KB.
set -euo pipefail
sipas=$(realpath "${SIPAS:-.build/debug/sipas}")
# Liberation Mono has every Vietnamese letter precomposed (DejaVu Sans Mono misplaces some tone marks).
if ! fc-list : family | grep -q "Liberation Mono"; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends fonts-liberation2 > /dev/null
fi
chromium=$(command -v chromium || command -v chromium-browser)
work=$(mktemp -d)
trap 'tmux -L sipas-pictures kill-server 2> /dev/null || true; rm -rf "$work"' EXIT
here=$(pwd)

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
    shoot "$work/$name.html" "$folder/$name.png" 652 "$height"
}

shoot() {  # page, picture, width, height
    "$chromium" --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$work/profile" \
        --window-size="$3,$4" --screenshot="$2" "file://$1" 2> /dev/null
    local size; size=$(stat -c %s "$2")
    [ "$size" -lt 300000 ] || { echo "$2 is $size bytes (limit 300 KB)" >&2; exit 1; }
    echo "$2 ($size bytes)"
}

# The report's first screen (docs/report.md's command, on the bundled survey).
"$sipas" report datasets/sipas-2024-synthetic.csv --instrument khanhhoa-admin --by unit_id \
    --strata stratum --cluster cluster --weight weight --province "Sơn La" --year 2024 --previous "$work/sipas-2023.csv" \
    --issued 2667 --returned 2640 --valid 2640 --rechecked 810 --recheck-confirmed 703 --recheck-unreachable 103 \
    --recheck-refused 4 --format html --output "$work/son-la.html" > /dev/null
shoot "$work/son-la.html" docs/report-example.png 1000 1600

# A session: the commands of docs/huong-dan/cac-huyen.sipas typed into the REPL, in each language.
session() {  # language, picture, title
    local lang=$1 picture=$2 title=$3
    tmux -L sipas-pictures -f /dev/null new-session -d -s repl -x 104 -y 34 -c "$here" "$sipas repl --lang $lang"
    sleep 1
    local commands=("open datasets/sipas-2024-synthetic.csv as s2024" "instrument khanhhoa-admin"
        "design --strata stratum --cluster cluster --weight weight" "where unit_level = huyen"
        "compare --by unit_id --index procedures")
    for command in "${commands[@]}"; do
        tmux -L sipas-pictures send-keys -t repl -l "$command"
        tmux -L sipas-pictures send-keys -t repl Enter
        sleep 2
    done
    tmux -L sipas-pictures capture-pane -t repl -p > "$work/session-$lang.txt"
    tmux -L sipas-pictures kill-server
    grep -q "p hiệu chỉnh\|adjusted p" "$work/session-$lang.txt" || { echo "the session did not reach compare:" >&2; cat "$work/session-$lang.txt" >&2; exit 1; }
    python3 scripts/picture-pages.py terminal "$work/session-$lang.txt" "$work/session-$lang.html" "$title"
    shoot "$work/session-$lang.html" "$picture" 960 $(( $(wc -l < "$work/session-$lang.txt") * 19 + 60 ))
}
session vi docs/huong-dan/hinh/phien-lam-viec.png "sipas — phiên làm việc"
session en docs/guide/images/session.png "sipas — a session"

# An Excel export: compare's workbook, as a spreadsheet shows its first sheet.
workbook() {  # language, picture
    mkdir -p "$work/book-$1"
    "$sipas" compare datasets/sipas-2024-synthetic.csv --instrument khanhhoa-admin --strata stratum --cluster cluster \
        --weight weight --by unit_id --index procedures --lang "$1" --output "$work/book-$1/so-sanh.xlsx" > /dev/null
    python3 scripts/picture-pages.py workbook "$work/book-$1/so-sanh.xlsx" "$work/book-$1.html" "$1"
    shoot "$work/book-$1.html" "$2" 1000 640
}
workbook vi docs/huong-dan/hinh/so-sanh-excel.png
workbook en docs/guide/images/compare-excel.png

# The charts of the report.
render vi "Tỉnh mẫu" docs/huong-dan/hinh units-ranked chi-so-theo-don-vi 1590
render vi "Tỉnh mẫu" docs/huong-dan/hinh priority-matrix ma-tran-uu-tien 700
render en "Sample province" docs/guide/images units-ranked units-ranked 1590
render en "Sample province" docs/guide/images priority-matrix priority-matrix 700
