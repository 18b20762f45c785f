#!/usr/bin/env bash
# The performance harness (issue 7): generates the synthetic datasets deterministically, runs the reference
# analysis at each size with a release build, and writes docs/performance.json and docs/performance.md
# (wall time and peak memory per step, from GNU time). It reports; it asserts nothing.
#
#   bash scripts/bench.sh                 # sizes 2640 10000 100000
#   bash scripts/bench.sh 2640 1000000    # any sizes
#
# The reference analysis (shared/peers/README.md): 1. load and validate with the SIPAS indices (simple
# random sampling); 2-3. criterion, factor and overall indices by unit with design-based intervals (strata,
# clusters, weights); 4-5. OLS of overall on the five factor scores with cluster-robust SEs, standardized
# betas, VIF, and LMG shares with a 1,000-replicate respondent bootstrap; 6. Cronbach's alpha per factor.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(2640 10000 100000)
swift build -c release --product sipas >/dev/null
bin=.build/release/sipas
mkdir -p scratch/bench docs
design=(--strata stratum --cluster cluster --weight weight)
json="[]"
rows=""
for n in "${sizes[@]}"; do
  data="scratch/bench/sipas_${n}.csv"
  [ -f "$data" ] || "$bin" generate --respondents "$n" --seed 2024 --output "$data" >/dev/null
  mb=$(du -m "$data" | cut -f1)
  declare -A secs=() mem=()
  step() {  # name, command...
    local name=$1; shift
    local out
    out=$( { /usr/bin/time -f "%e %M" "$@" >/dev/null; } 2>&1 | tail -1 )
    secs[$name]=${out% *}; mem[$name]=${out#* }
  }
  step load_simple "$bin" index "$data" -i khanhhoa-admin --ci t --format json
  step design_by_unit "$bin" index "$data" -i khanhhoa-admin --by unit_id --ci t --format json "${design[@]}"
  step ols_lmg_bootstrap "$bin" drivers "$data" -i khanhhoa-admin --se cluster:cluster --replicates 1000 --format json
  step alpha "$bin" alpha "$data" --items q01,q02,q03 --na 9,99,0,6 --format json
  total=$(python3 -c "print(round(${secs[load_simple]}+${secs[design_by_unit]}+${secs[ols_lmg_bootstrap]}+${secs[alpha]},2))")
  peak=$(printf '%s\n' "${mem[@]}" | sort -n | tail -1)
  rows+="| $n | $mb | ${secs[load_simple]} | ${secs[design_by_unit]} | ${secs[ols_lmg_bootstrap]} | ${secs[alpha]} | $total | $((peak / 1024)) |"$'\n'
  json=$(python3 -c "import json,sys; a=json.loads(sys.argv[1]); a.append(dict(n=$n, csv_mb=$mb, seconds=dict(load_simple=${secs[load_simple]}, design_by_unit=${secs[design_by_unit]}, ols_lmg_bootstrap=${secs[ols_lmg_bootstrap]}, alpha=${secs[alpha]}), total_seconds=$total, peak_mb=$((peak / 1024)))); print(json.dumps(a, indent=1))" "$json")
  unset secs mem
done
echo "$json" > docs/performance.json
{
  echo "# Performance"
  echo
  echo "Produced by \`bash scripts/bench.sh ${sizes[*]}\` on $(nproc) cores ($(uname -m)), release build. Wall seconds per step"
  echo "(each step is a separate \`sipas\` process, so each includes loading the CSV), peak resident memory of the largest step."
  echo
  echo "| respondents | CSV MB | load + simple indices | design-based indices by unit | OLS + LMG bootstrap (1,000) | alpha | total s | peak MB |"
  echo "|---|---|---|---|---|---|---|---|"
  printf '%s' "$rows"
  cat <<'NOTE'

## Where this stands

Targets of issue 7: the whole reference analysis of 2,640 responses under 0.3 s, 1,000,000 under 6 s,
loading at ≥ 200 MB/s, 5,000,000 under 30 s in under 2 GB. The peers in `shared/peers` take about 8 s (R) and
5–6 s (pandas + statsmodels) at 2,640 rows and 54 s / 16–22 s at 100,000 on this kind of machine. What is
still slow: the CSV reader (text cells are interned per column; weights are text until parsed), design-based
variances computed per estimate over all rows, and bootstrap replicates recomputed from rows instead of from
sufficient statistics. A first pass on the reader (answer cells decoded in place, repeated text cells
recognised from their bytes) cut the 100,000-row run from 23.8 s to about 7 s.
NOTE
} > docs/performance.md
cat docs/performance.md
