#!/usr/bin/env bash
# The demo: the document's secret and secret version, as Pulumi YAML, created
# with the real `pulumi up` against a local Secrets Manager (moto), read back
# with the AWS CLI exactly as the document does, then destroyed.
#
# Needs no AWS account and no network. Run it through `make demo`, which
# builds the Pulumi CLI, the YAML language host and the provider first.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
work="$root/.work/demo"
rm -rf "$work"
mkdir -p "$work"

# --- a local Secrets Manager on a free loopback port ---------------------------
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
moto_server -H 127.0.0.1 -p "$port" >"$work/moto.log" 2>&1 &
moto_pid=$!
stop_moto() { kill "$moto_pid" 2>/dev/null || true; wait "$moto_pid" 2>/dev/null || true; }
trap stop_moto EXIT
for _ in $(seq 1 100); do
	python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/moto-api/')" 2>/dev/null && break
	kill -0 "$moto_pid" 2>/dev/null || { cat "$work/moto.log"; echo "moto did not start"; exit 1; }
	sleep 0.2
done

# --- point the same program at it: nothing in the program names the endpoint --
export AWS_ENDPOINT_URL_SECRETS_MANAGER="http://127.0.0.1:$port"
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
unset AWS_PROFILE AWS_SESSION_TOKEN
export PULUMI_HOME="$work/pulumi-home"
export PULUMI_BACKEND_URL="file://$work/state"
export PULUMI_CONFIG_PASSPHRASE_FILE="$work/passphrase"
export PULUMI_SKIP_UPDATE_CHECK=true PULUMI_DIY_BACKEND_NO_LEGACY_WARNING=true
mkdir -p "$work/state"
python3 -c 'import secrets; print(secrets.token_urlsafe(24))' >"$PULUMI_CONFIG_PASSPHRASE_FILE"

# Install the provider built by `make provider` the way a user's plugin is
# installed, into this run's own PULUMI_HOME.
pulumi plugin install resource smx "$(cat "$root/provider/VERSION")" --file "$root/bin/pulumi-resource-smx" >/dev/null 2>&1

cp -r "$root/examples/yaml" "$work/program"
cd "$work/program"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "moto (local Secrets Manager) listening on $AWS_ENDPOINT_URL_SECRETS_MANAGER"
pulumi stack init demo --non-interactive >/dev/null

step "pulumi up"
pulumi up --yes --non-interactive

step "pulumi stack output"
pulumi stack output
secret_id=$(pulumi stack output secretId)

step "aws secretsmanager list-secrets"
aws secretsmanager list-secrets

step "aws secretsmanager get-secret-value --secret-id $secret_id"
aws secretsmanager get-secret-value --secret-id "$secret_id"

step "pulumi destroy"
pulumi destroy --yes --non-interactive
pulumi stack rm demo --yes --non-interactive >/dev/null

step "done: the secret was created by smx, read back by the AWS CLI, and destroyed"
