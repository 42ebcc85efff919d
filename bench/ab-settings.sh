#!/usr/bin/env bash
# Cost of security, Provenance and audit: the same server jar side by side with them on and off, through
# bench/ab-jars.sh (interleaved on off off on ..., fresh embedded database and index per run, demo profile, validation
# on both sides). "off" is --hub.security.enabled=false (no authentication: no token checked, the rate limiter keys
# by remote address instead of decoding the token; no authorization: AccessGuard and SiteWriteGuard pass everything;
# no Provenance, which the hub records only for an authenticated caller) plus --hub.exchange.audit-enabled=false (no
# AuditEvents: AuditTrail and HAPI's BALP interceptor are not registered); its pushes carry no credentials. "on"
# pushes with each demo site's SMART Backend Services token, cached by the pusher until shortly before it expires, so
# token issuing is a handful of requests per run, not a cost per push.
#
#   bench/ab-settings.sh [server jar=server/target/cart-ltfu-server.jar] [rounds=2] [out dir=bench/results/security]
#
# Sizes and ports as for ab-jars.sh (LEVELS, LEVEL_PATIENTS, PLAIN_BUNDLES, PORT, PG_PORT); OFF_ARGS replaces the
# "off" side's server arguments (e.g. to switch off audit only: OFF_ARGS=--hub.exchange.audit-enabled=false).
set -euo pipefail
jar=${1:-server/target/cart-ltfu-server.jar}
A_LABEL=on B_LABEL=off A_ARGS="" \
B_ARGS=${OFF_ARGS:---hub.security.enabled=false --hub.exchange.audit-enabled=false} \
  exec "$(dirname "$0")/ab-jars.sh" "$jar" "$jar" "${2:-2}" "${3:-bench/results/security}"
