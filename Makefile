# smx — a native Pulumi provider for AWS Secrets Manager.
#
#   make demo    the document's program, `pulumi up` against a local Secrets Manager (moto)
#   make test    every test: unit, moto integration, end-to-end with the real Pulumi CLI
#
#   make bench       the large-stack benchmark (tests/bench; figures in BENCHMARKS.md)
#   make test-unit   the fast loop: the unit tests alone, with no moto and no CLI
#   make lint        golangci-lint (.golangci.yml) over every Go module of ours
#   make check-tidy  every go.mod and go.sum is what `go mod tidy` would write
#   make dist        a release into dist/: plugin archives per platform, the npm, Python
#                    and schema artifacts, checksums (VERSION=x.y.z, PLATFORMS="linux/amd64")
#   make install     the provider plugin installed into your PULUMI_HOME, as a user installs it
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
GOLANGCI := $(TOOLS)/golangci-lint
GO_FILES := $(shell find provider cmd -type f) go.mod go.sum
# The provider's own version; `make dist VERSION=...` releases another.
PROVIDER_VERSION := $(shell tr -d '[:space:]' < provider/VERSION)
VERSION          ?= $(PROVIDER_VERSION)
# PATH as it was before .tools/bin went in front: `make install` uses your own
# pulumi when you have one.
USER_PATH := $(PATH)

# The provider is not put on PATH: runs install it into their own PULUMI_HOME,
# as `pulumi plugin install` would for a user.
export PATH := $(TOOLS):$(PATH)
export PULUMI_SKIP_UPDATE_CHECK := true
export PULUMI_DIY_BACKEND_NO_LEGACY_WARNING := true

.PHONY: all tools moto-and-awscli provider generate check-generated sdk-nodejs sdk-python examples demo test test-unit lint check-tidy dist install ci clean

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

# golangci-lint, from its own pinned module (tools/golangci-lint/go.mod), so
# its dependencies never mix with the Pulumi CLI's. Its version is the one that
# go.mod requires, stamped into the binary as a release build would be.
$(GOLANGCI): tools/golangci-lint/go.mod tools/golangci-lint/go.sum
	@echo "building golangci-lint (first build takes a few minutes)"
	cd tools/golangci-lint && v=$$(go list -m -f '{{.Version}}' github.com/golangci/golangci-lint/v2) && \
		go build -o $@ -ldflags "-X main.version=$${v#v} -X main.date=pinned" \
		github.com/golangci/golangci-lint/v2/cmd/golangci-lint

# moto (the local Secrets Manager) and the AWS CLI come from PyPI.
moto-and-awscli:
	@command -v moto_server >/dev/null || python3 -m pip install --quiet 'moto[server]>=5.2,<5.3'
	@command -v aws >/dev/null || python3 -m pip install --quiet awscli

# --- Provider, schema and SDKs -----------------------------------------------

provider: $(PROVIDER)

# Built as the release archives build it (scripts/dist.sh), so that tests, the
# benchmark and `make install` run the binary that ships: no cgo (libc is not
# mapped: 1.8 MB less RssFile), -trimpath, and -s -w (43 MB on disk instead of
# 62 MB; panics still print file:line, from the pclntab). For a build with
# DWARF, for a debugger: go build -o bin/pulumi-resource-smx ./cmd/pulumi-resource-smx
$(PROVIDER): $(GO_FILES)
	CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o $@ ./cmd/pulumi-resource-smx

# The one writer of schema.json, sdk/ and the YAML examples' sdks/smx.yaml:
# never edit them by hand.
generate:
	go run ./cmd/smx-sdkgen -out .
	cd sdk && go mod tidy

# CI: the committed schema and SDKs must be what the provider generates now.
check-generated: generate
	@if [ -n "$$(git status --porcelain -- schema.json sdk 'examples/*/sdks')" ]; then \
		git status --porcelain -- schema.json sdk 'examples/*/sdks'; \
		echo "schema.json, sdk/ or an example's sdks/ is stale: run 'make generate' and commit the result"; exit 1; \
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
examples: $(WORK)/.examples-ts $(WORK)/.examples-ts-rotation $(WORK)/.examples-ts-write-only $(WORK)/.examples-ts-cross-account
.SECONDEXPANSION:
$(WORK)/.examples-%: $(WORK)/.sdk-nodejs $$(wildcard examples/$$*/*.ts examples/$$*/*.json)
	cd examples/$* && npm install --no-audit --no-fund --silent && npx tsc
	@touch $@

# --- Release and install ---------------------------------------------------------

# A release at VERSION (default provider/VERSION) into dist/, by scripts/dist.sh:
# pulumi-resource-smx-v$(VERSION)-<os>-<arch>.tar.gz for PLATFORMS (default
# linux, darwin and windows on amd64 and arm64), the npm tarball, the Python
# sdist and wheel, schema.json and checksums.txt; the SDKs are generated at
# VERSION under dist/_build, so no committed file changes. It also checks that
# the committed Go SDK is ready for its sdk/v$(VERSION) tag and prints the
# tag command (it creates no tag).
dist:
	VERSION='$(VERSION)' scripts/dist.sh

# The provider plugin installed into your PULUMI_HOME (~/.pulumi unless you
# set it), as `pulumi plugin install` installs a release: with your pulumi, or
# the one `make tools` builds when none is on your PATH.
install: provider
	@if [ '$(VERSION)' != '$(PROVIDER_VERSION)' ]; then \
		echo "make install installs bin/pulumi-resource-smx, which is version $(PROVIDER_VERSION): VERSION=$(VERSION) is not it"; exit 2; fi
	@pulumi=$$(PATH='$(USER_PATH)' command -v pulumi || true); \
	if [ -z "$$pulumi" ]; then \
		echo "no pulumi on your PATH: using $(PULUMI) (make tools)"; \
		$(MAKE) --no-print-directory $(PULUMI) && pulumi=$(PULUMI); \
	fi; \
	echo "$$pulumi plugin install resource smx $(PROVIDER_VERSION) --file $(PROVIDER) --reinstall"; \
	"$$pulumi" plugin install resource smx $(PROVIDER_VERSION) --file $(PROVIDER) --reinstall

# --- Lint and tidiness -------------------------------------------------------

# The Go modules that are ours and hold code: each is linted with the one
# .golangci.yml. sdk/go is not linted: it is written by `make generate`
# (check-generated proves it is what the generator writes), so a finding there
# is a finding in the generator, and every generated file says
# "Code generated ... DO NOT EDIT", which golangci-lint skips anyway.
# tools/ and tools/golangci-lint hold only a blank import each, behind the
# `tools` build tag: nothing to lint, but their go.mod must be tidy.
# examples/go is the user's document's program with only its import line
# changed (the drop-in promise): it is vetted and tested by `make test`, and
# kept as the document wrote it rather than to this repository's style.
# examples/go-cross-account is the README's and the registry's cross-account
# program: ours, so linted, and vetted and tested by `make test` too.
LINT_MODULES := . tests/dropin examples/go-cross-account
TIDY_MODULES := $(LINT_MODULES) examples/go sdk tools tools/golangci-lint

# Every module is linted even when one fails, so one run shows every finding.
lint: $(GOLANGCI)
	@status=0; for m in $(LINT_MODULES); do \
		echo "golangci-lint: $$m"; \
		(cd $$m && $(GOLANGCI) run --config $(ROOT)/.golangci.yml ./...) || status=1; \
	done; exit $$status

# `go mod tidy -diff` prints the change tidy would make and exits non-zero
# when there is one. Only its exit status decides: on a fresh machine it also
# reports the modules it downloads.
# A go.mod that TIDY_MODULES does not name fails the check too, so a new
# module cannot slip past it (nor, by the same list, past lint).
check-tidy:
	@status=0; \
	for f in $$(git ls-files -- go.mod '*/go.mod'); do \
		case " $(TIDY_MODULES) " in *" $$(dirname $$f) "*) ;; \
		*) echo "$$f: a module that TIDY_MODULES (and LINT_MODULES, if it holds code) in the Makefile does not name"; status=1;; esac; \
	done; \
	for m in $(TIDY_MODULES); do \
		if ! out=$$(cd $$m && go mod tidy -diff 2>&1); then \
			echo "$$m: go.mod or go.sum is not tidy (run 'go mod tidy' in $$m):"; echo "$$out"; status=1; \
		fi; \
	done; exit $$status

# --- The demo and the tests ----------------------------------------------------

demo: tools provider
	@scripts/demo.sh

# tests/dropin compares the TypeScript SDK as built (sdk-nodejs) with
# @pulumi/aws, and sdk/python with pulumi_aws; it fetches those two packages
# once, from npm and PyPI, into $(WORK)/dropin/, keyed by their versions.
test: tools provider sdk-nodejs sdk-python examples
	go test -count=1 -timeout 60m ./...
	cd examples/go && go vet ./... && go test -count=1 ./...
	cd examples/go-cross-account && go vet ./... && go test -count=1 ./...
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

# The large-stack benchmark (tests/bench): SMX_BENCH_PAIRS pairs (500) under
# every scenario, or those SMX_BENCH_SCENARIOS names; about 15 minutes at 500
# pairs on 2 cores. The report goes to .work/bench/report.md (and .json);
# BENCHMARKS.md keeps the figures of full runs. It measures, never fails on time.
.PHONY: bench
bench: tools provider
	go test -run '^$$' -bench LargeStack -benchtime 1x -timeout 120m ./tests/bench/

ci: check-generated check-tidy lint test

clean:
	rm -rf bin dist $(WORK) sdk/nodejs/bin sdk/nodejs/node_modules examples/*/node_modules examples/ts*/bin
