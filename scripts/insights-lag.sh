#!/usr/bin/env bash
# Usage: bash scripts/insights-lag.sh   (npm run insights:lag)
# The Insights loader's lag per topic and partition, the oldest change not applied yet, the
# warehouse's as-of instant and the daily summary's freshness (services/insights/lag-report.ts).
# Against the warehouse in DATABASE_URL and the brokers in KAFKA_BROKERS; either unset, the local
# stack's (stack/env.sh: INSIGHTS_DATABASE_URL and KAFKA_BROKERS, with the ports in the environment).
set -euo pipefail
cd "$(dirname "$0")/.."
explicit_url=${DATABASE_URL:-}
# shellcheck source=stack/env.sh
source stack/env.sh
export DATABASE_URL=${explicit_url:-$INSIGHTS_DATABASE_URL} KAFKA_BROKERS
exec node --import tsx services/insights/lag-report.ts
