#!/usr/bin/env bash
# The calibration benchmark (issue 19). Builds the release benchmark program (Benchmarks/Weights/main.swift)
# and runs it: N rows (default 1,000,000) with unequal design weights, raked to three margins of 64
# categories each (BENCH_CATEGORIES=64,64,64) to a relative error of 1e-10, REPEAT times (default 5); then the
# same with method raking (Newton on the cells). WITH_R=1 also times R survey's rake() on the same shape
# (scripts/bench-weights-r.R; about 30 s at 1,000,000 rows). Writes docs/performance-weights.md. It reports;
# it asserts nothing.
#
#   bash scripts/bench-weights.sh             # 1,000,000 rows
#   bash scripts/bench-weights.sh 100000      # another size
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000000}
export REPEAT=${REPEAT:-5}
swift build -c release --product sipas-bench-weights >/dev/null
bin=$PWD/.build/release/sipas-bench-weights
dir=scratch/bench-weights
mkdir -p "$dir" docs
if [ "${WITH_R:-0}" = 1 ]; then
  R_SECONDS=$(Rscript scripts/bench-weights-r.R "$n" | awk '{print $4}')
fi
for method in rake raking; do
  BENCH_METHOD=$method "$bin" "$n" > "$dir/$method.txt"
done
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2)}'; }
row() {  # method
  local file=$dir/$1.txt
  local cal best iter cells err var
  cal=$(awk '$1 == "calibrate" {print $2}' "$file" | median)
  best=$(awk '$1 == "calibrate" {print $2}' "$file" | sort -n | head -1)
  iter=$(awk '$1 == "calibrate" {print $3}' "$file" | head -1)
  cells=$(awk '$1 == "calibrate" {print $4}' "$file" | head -1)
  err=$(awk '$1 == "calibrate" {print $5}' "$file" | head -1)
  var=$(awk '$1 == "residuals" {print $2}' "$file" | median)
  prep=$(awk '$1 == "prepare" {print $2}' "$file" | median)
  echo "| $1 | $cal | $best | $iter | $cells | $err | $prep | $var |"
}
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
{
  echo "# Calibration speed"
  echo
  echo "Written by \`bash scripts/bench-weights.sh $n\` ($(date -u +%Y-%m-%d), $cpu, $(nproc) cores shared with"
  echo "other builds; Swift release build). $(head -1 "$dir/rake.txt"): design weights uniform on [0.5, 4.5],"
  echo "sample shares of the categories skewed ∝ rank^-0.7, population shares ∝ 1 + 0.5 sin(j), every margin"
  echo "summing to 5,000,000; tolerance 1e-10 on |achieved − target| / (1 + target). Seconds, median and best of"
  echo "$REPEAT runs."
  echo
  echo "| method | calibrate (median s) | best s | iterations | cells | largest relative error | prepare design (s) | variance of one estimate (s) |"
  echo "|---|---|---|---|---|---|---|---|"
  row rake
  row raking
  echo
  echo "*calibrate* is \`CalibrationSpecification.calibrate\` end to end: grouping the rows into cells (distinct"
  echo "combinations of categories), iterative proportional fitting (rake) or Newton's method (raking) on the"
  echo "cells, each row's weight, the targets table, and the variance adjustment. *prepare* is"
  echo "\`SurveyDesign.calibrated\`, once per design: each unit's sums of w·x (here every row is its own PSU, the"
  echo "worst case). *variance* is one estimate's design variance on the calibrated design, calibration residuals"
  echo "included (an influence value on every row: the sums over the rows, the fit — for rake R's ten sweeps on the"
  echo "category sums — and the units' totals). Reading a CSV is not included: see [performance.md](performance.md)."
  if [ -n "${R_SECONDS:-}" ]; then
    echo
    echo "R survey 4.1-1 \`rake()\` on the same shape (\`Rscript scripts/bench-weights-r.R $n\`: other random draws,"
    echo "the same sizes, epsilon 1e-10 × the weight total): $R_SECONDS s, one run."
  fi
} > docs/performance-weights.md
cat docs/performance-weights.md
