#!/bin/sh
# Registers the custom search attributes the workflows upsert; the list comes from SEARCH_ATTRIBUTES in docker-compose.yml.
set -eu

: "${SEARCH_ATTRIBUTES:?ERROR: SEARCH_ATTRIBUTES (Name:Type,...) is required}"
NAMESPACE=${TEMPORAL_NAMESPACE:-default}
TEMPORAL_ADDRESS=${TEMPORAL_ADDRESS:-temporal:7233}
MAX_ATTEMPTS=${MAX_ATTEMPTS:-30}
SLEEP_SECONDS=${SLEEP_SECONDS:-5}

# The namespace service may still be propagating, so wait until it is describable.
attempt=1
until temporal operator namespace describe -n "$NAMESPACE" --address "$TEMPORAL_ADDRESS" >/dev/null 2>&1; do
  if [ "$attempt" -ge "$MAX_ATTEMPTS" ]; then
    echo "Namespace '$NAMESPACE' not available after $MAX_ATTEMPTS attempts" >&2
    exit 1
  fi
  attempt=$((attempt + 1))
  sleep "$SLEEP_SECONDS"
done

for pair in $(echo "$SEARCH_ATTRIBUTES" | tr ',' ' '); do
  name=${pair%%:*}
  type=${pair#*:}
  attempt=1
  while :; do
    if out=$(temporal operator search-attribute create --namespace "$NAMESPACE" --address "$TEMPORAL_ADDRESS" \
      --name "$name" --type "$type" 2>&1); then
      echo "Search attribute $name ($type) created"
      break
    fi
    # Re-runs must succeed, so an existing attribute is not an error.
    if echo "$out" | grep -qi 'already exists'; then
      echo "Search attribute $name already exists"
      break
    fi
    if [ "$attempt" -ge "$MAX_ATTEMPTS" ]; then
      echo "Failed to create search attribute $name ($type): $out" >&2
      exit 1
    fi
    echo "Creating $name failed, retrying ($attempt/$MAX_ATTEMPTS): $out"
    attempt=$((attempt + 1))
    sleep "$SLEEP_SECONDS"
  done
done

temporal operator search-attribute list --namespace "$NAMESPACE" --address "$TEMPORAL_ADDRESS"
