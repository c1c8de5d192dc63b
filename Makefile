# smx — a native Pulumi provider for AWS Secrets Manager.
#
#   make demo    the document's program, `pulumi up` against a local Secrets Manager (moto)
#   make test    every test: unit, moto integration, end-to-end with the real Pulumi CLI
#
#   make test-unit   the fast loop: the unit tests alone, with no moto and no CLI
#
# Everything a target needs is built or installed by the targets themselves,
# into ignored folders of this repository (.tools/, bin/, .work/).

SHELL          := /bin/bash
PULUMI_VERSION := v3.274.1
YAML_VERSION   := v1.25.0

ROOT     := $(abspath .)
TOOLS    := $(ROOT)/.tools/bin
WORK     := $(ROOT)/.work
PROVIDER := $(ROOT)/bin/pulumi-resource-smx
PULUMI   := $(TOOLS)/pulumi
YAMLHOST := $(TOOLS)/pulumi-language-yaml
GO_FILES := $(shell find provider cmd -type f) go.mod go.sum

# The provider is not put on PATH: runs install it into their own PULUMI_HOME,
# as `pulumi plugin install` would for a user.
export PATH := $(TOOLS):$(PATH)
export PULUMI_SKIP_UPDATE_CHECK := true
export PULUMI_DIY_BACKEND_NO_LEGACY_WARNING := true

.PHONY: all tools moto-and-awscli provider generate check-generated sdk-nodejs sdk-python examples demo test test-unit ci clean

all: provider

# --- Tools -------------------------------------------------------------------

tools: $(PULUMI) $(YAMLHOST) moto-and-awscli

# The Pulumi CLI cannot be downloaded here: build it from the pinned tools
# module, with its version stamped (the Automation API refuses an unversioned CLI).
$(PULUMI): tools/go.mod tools/go.sum
	@echo "building the Pulumi CLI $(PULUMI_VERSION) (first build takes about 5 minutes)"
	cd tools && go build -o $@ \
		-ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$(PULUMI_VERSION)" \
		github.com/pulumi/pulumi/pkg/v3/cmd/pulumi

# pulumi-yaml's go.mod needs an older pkg/v3 than the CLI's, so it is built in
# its own module context.
$(YAMLHOST):
	@echo "building pulumi-language-yaml $(YAML_VERSION)"
	GOBIN=$(TOOLS) go install github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml@$(YAML_VERSION)

# moto (the local Secrets Manager) and the AWS CLI come from PyPI.
moto-and-awscli:
	@command -v moto_server >/dev/null || python3 -m pip install --quiet 'moto[server]>=5.2,<5.3'
	@command -v aws >/dev/null || python3 -m pip install --quiet awscli

# --- Provider, schema and SDKs -----------------------------------------------

provider: $(PROVIDER)

$(PROVIDER): $(GO_FILES)
	go build -o $@ ./cmd/pulumi-resource-smx

# The one writer of schema.json and sdk/: never edit them by hand.
generate:
	go run ./cmd/smx-sdkgen -out .
	cd sdk && go mod tidy

# CI: the committed schema and SDKs must be what the provider generates now.
check-generated: generate
	@if [ -n "$$(git status --porcelain -- schema.json sdk)" ]; then \
		git status --porcelain -- schema.json sdk; \
		echo "schema.json or sdk/ is stale: run 'make generate' and commit the result"; exit 1; \
	fi

# The TypeScript SDK compiled into sdk/nodejs/bin, the way it is published.
sdk-nodejs: $(WORK)/.sdk-nodejs
$(WORK)/.sdk-nodejs: $(shell find sdk/nodejs -path sdk/nodejs/bin -prune -o -path sdk/nodejs/node_modules -prune -o -type f -print)
	cd sdk/nodejs && npm install --no-audit --no-fund --silent && npx tsc && cp package.json README.md bin/
	@mkdir -p $(WORK) && touch $@

# A virtualenv with the Pulumi Python SDK and the generated pulumi_smx.
sdk-python: $(WORK)/.sdk-python
$(WORK)/.sdk-python: $(shell find sdk/python -name '*.py' -o -name '*.toml' -o -name '*.json') examples/py/requirements.txt
	python3 -m venv $(WORK)/venv
	$(WORK)/venv/bin/pip install --quiet --upgrade pip setuptools
	$(WORK)/venv/bin/pip install --quiet 'pulumi>=3.260.0,<4.0.0' ./sdk/python
	@touch $@

# The TypeScript examples installed and compiled against the local SDK.
examples: $(WORK)/.examples-ts $(WORK)/.examples-ts-rotation
.SECONDEXPANSION:
$(WORK)/.examples-%: $(WORK)/.sdk-nodejs $$(wildcard examples/$$*/*.ts examples/$$*/*.json)
	cd examples/$* && npm install --no-audit --no-fund --silent && npx tsc
	@touch $@

# --- The demo and the tests ----------------------------------------------------

demo: tools provider
	@scripts/demo.sh

test: tools provider sdk-nodejs sdk-python examples
	go test -count=1 -timeout 60m ./...
	cd examples/go && go vet ./... && go test -count=1 ./...
	cd tests/dropin && go test -count=1 ./...

# The fast loop: the fake Secrets Manager, the rules, diffs, config and the
# generators' unit tests, in seconds. -short skips what needs moto or the
# Pulumi CLI (moto.Start, tests/e2e's TestMain), each saying so; `make test`
# runs without -short, so it skips nothing.
test-unit:
	go test -short -count=1 ./...

# The reliability suites at full size (tests/e2e: faults_test.go, crash_test.go,
# badinput_test.go): 50 secrets, 10 crash seeds. `make test` runs them at the
# quick size (12 secrets, 3 crash seeds). Figures go to .work/reliability.jsonl.
.PHONY: test-reliability
test-reliability: tools provider
	@mkdir -p $(WORK) && rm -f $(WORK)/reliability.jsonl
	SMX_RELIABILITY=full SMX_RELIABILITY_REPORT=$(WORK)/reliability.jsonl \
		go test -count=1 -timeout 120m -v -run 'TestFault|TestCrashRecovery|TestBadInput' ./tests/e2e/

ci: check-generated test

clean:
	rm -rf bin $(WORK) sdk/nodejs/bin sdk/nodejs/node_modules examples/*/node_modules examples/ts*/bin
