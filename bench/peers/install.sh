#!/usr/bin/env bash
# Installs one peer into its throwaway directory bench/.work/<peer> (reused when present).
# Usage: bench/peers/install.sh prefect|dagster|luigi|restate|airflow
# Versions follow shared/notes/perf-anchors.md §2.2/§3: Prefect 3.8.8 needs fastapi 0.150.0
# (it crashes on 0.160+); Restate's Node SDK 1.17 needs Node >= 22, so 1.9.1 on Node 20.
set -euo pipefail
peer="$1"
work="$(cd "$(dirname "$0")/.." && pwd)/.work"
dir="$work/$peer"
mkdir -p "$work"
echo "*" > "$work/.gitignore"  # throwaway installs, never committed
[ -f "$dir/.installed" ] && exit 0
echo "installing $peer into $dir ..." >&2
pip_install() { python3 -m venv "$dir" && "$dir/bin/pip" install -q "$@" && "$dir/bin/pip" freeze > "$dir/.installed"; }
case "$peer" in
  prefect) pip_install "prefect==3.8.8" "fastapi==0.150.0" ;;
  dagster) pip_install dagster ;;
  luigi) pip_install luigi ;;
  airflow) pip_install apache-airflow ;;
  restate)
    mkdir -p "$dir" && cd "$dir"
    [ -f package.json ] || npm init -y > /dev/null 2>&1
    npm install --no-audit --no-fund "@restatedev/restate-server@1.7" "@restatedev/restate-sdk@1.9.1" >&2
    npm ls --depth=0 > .installed ;;
  *) echo "unknown peer $peer" >&2; exit 2 ;;
esac
