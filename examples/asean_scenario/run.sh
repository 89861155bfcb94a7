#!/bin/sh
# The analyst scenario of examples/asean_scenario/README.md: one Indonesian
# worker's career in Malaysia and Thailand, decided first with the library
# as it is without the ASEAN model, then under the model.
# usage: sh examples/asean_scenario/run.sh [ACCORD]   (from the repository root)
set -eu
A=${1:-build/accord}
cd "$(dirname "$0")/../.."
without=$(ls agreements/*.accord | grep -v asean_model)
Q="--question applicable_legislation --question aggregated_periods --question entitled --question benefit --question exportable --branch old_age"
echo "== without the ASEAN model (every other shipped agreement)"
# shellcheck disable=SC2086
$A eval $without --cases examples/asean_scenario/case.jsonl -j 1 --no-progress $Q 2>/dev/null
echo "== under the ASEAN model"
# shellcheck disable=SC2086
$A eval agreements/asean_model.accord --cases examples/asean_scenario/case.jsonl -j 1 --no-progress $Q 2>/dev/null
