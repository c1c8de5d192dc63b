#!/usr/bin/env bash
# Builds a release of smx into dist/ (`make dist VERSION=x.y.z`):
#
#   pulumi-resource-smx-v<V>-<os>-<arch>.tar.gz   the provider plugin, one per
#       platform, laid out as `pulumi plugin install` and the engine's automatic
#       download unpack it: the binary (pulumi-resource-smx, .exe on Windows),
#       LICENSE and README.md at the top level of the archive
#   smxlabs-pulumi-smx-<V>.tgz                    the TypeScript SDK (npm pack)
#   pulumi_smx-<V'>.tar.gz, pulumi_smx-<V'>-py3-none-any.whl
#                                                  the Python SDK (V' is V as
#                                                  PEP 440 writes it)
#   schema.json                                   the schema at version V
#   checksums.txt                                 sha256sum of every artifact
#
# and checks that the committed Go SDK (sdk/go) is what the generator writes at
# V but for version strings, so that a `sdk/v<V>` tag releases it.
#
# The SDKs are generated at V into dist/_build/ (a scratch root for
# cmd/smx-sdkgen), never into the repository: a release at a version other
# than provider/VERSION changes no committed file.
#
# Environment:
#   VERSION    the release's semantic version, without a leading v
#              (default: provider/VERSION)
#   PLATFORMS  os/arch pairs, space-separated (default: linux, darwin and
#              windows, each amd64 and arm64); "host" is this machine's
#   DIST_DIR   where the artifacts go (default: dist/)
#   DIST_PYTHON=skip   leave out the Python sdist and wheel
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

VERSION=${VERSION:-$(tr -d '[:space:]' < provider/VERSION)}
# semver.org's grammar: MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD].
SEMVER='^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-((0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*)(\.(0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*))*))?(\+([0-9a-zA-Z-]+(\.[0-9a-zA-Z-]+)*))?$'
if ! [[ $VERSION =~ $SEMVER ]]; then
	echo "dist: VERSION=$VERSION is not a semantic version: want MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD], such as 0.1.0 or 1.2.0-rc.1, without a leading v" >&2
	exit 2
fi
MAJOR=${BASH_REMATCH[1]}
COMMITTED_VERSION=$(tr -d '[:space:]' < provider/VERSION)

DEFAULT_PLATFORMS="linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64"
PLATFORMS=${PLATFORMS:-$DEFAULT_PLATFORMS}
PLATFORMS=${PLATFORMS//host/$(go env GOOS)/$(go env GOARCH)}
DIST_DIR=${DIST_DIR:-$ROOT/dist}
mkdir -p "$DIST_DIR"
DIST_DIR=$(cd "$DIST_DIR" && pwd)
# The leading _ keeps the generated Go SDK out of this repository's module: the go
# command skips such folders (go test ./..., go mod tidy, golangci-lint).
BUILD=$DIST_DIR/_build
STAMP="-X github.com/smxlabs/pulumi-smx/provider.version=$VERSION"

# Remove what an earlier run left, and only that: DIST_DIR may be any folder.
rm -rf "$BUILD"
rm -f "$DIST_DIR"/pulumi-resource-smx-v*.tar.gz "$DIST_DIR"/smxlabs-pulumi-smx-*.tgz \
	"$DIST_DIR"/pulumi_smx-* "$DIST_DIR"/schema.json "$DIST_DIR"/checksums.txt
mkdir -p "$BUILD"

# Archives whose bytes depend only on their contents: entries sorted, owned by
# root, dated with the last commit (or 0 outside a git checkout), gzip without
# a name or time.
SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 0)}
export SOURCE_DATE_EPOCH
reproducible_tgz() { # out dir files...
	local out=$1 dir=$2
	shift 2
	tar --sort=name --mtime="@$SOURCE_DATE_EPOCH" --owner=0 --group=0 --numeric-owner \
		-C "$dir" -cf - "$@" | gzip -n -9 > "$out"
}

echo "dist: smx v$VERSION into $DIST_DIR"

# --- The provider plugin, one archive per platform ---------------------------
for platform in $PLATFORMS; do
	os=${platform%/*} arch=${platform#*/}
	if [[ -z $os || -z $arch || $platform != */* ]]; then
		echo "dist: PLATFORMS entry '$platform' is not os/arch (such as linux/amd64)" >&2
		exit 2
	fi
	binary=pulumi-resource-smx
	[[ $os == windows ]] && binary=$binary.exe
	stage=$BUILD/plugin-$os-$arch
	mkdir -p "$stage"
	echo "dist: building $binary for $os/$arch"
	CGO_ENABLED=0 GOOS=$os GOARCH=$arch go build -trimpath -ldflags "-s -w $STAMP" \
		-o "$stage/$binary" ./cmd/pulumi-resource-smx
	cp LICENSE README.md "$stage/"
	reproducible_tgz "$DIST_DIR/pulumi-resource-smx-v$VERSION-$os-$arch.tar.gz" "$stage" "$binary" LICENSE README.md
done

# --- Schema and SDKs generated at VERSION --------------------------------------
echo "dist: generating schema.json and the SDKs at $VERSION into $BUILD"
go run -ldflags "$STAMP" ./cmd/smx-sdkgen -out "$BUILD"
generated=$(node -p 'require(process.argv[1]).version' "$BUILD/schema.json")
if [[ $generated != "$VERSION" ]]; then
	echo "dist: the generated schema says version '$generated', want $VERSION" >&2
	exit 1
fi
cp "$BUILD/schema.json" "$DIST_DIR/schema.json"

# TypeScript: compiled as `make sdk-nodejs` compiles it, packed from bin/.
# The dependencies are those of the committed SDK (the version is the package's
# own): its node_modules serve when `make sdk-nodejs` installed them.
echo "dist: packing the TypeScript SDK"
(
	cd "$BUILD/sdk/nodejs"
	committed=$ROOT/sdk/nodejs
	same_deps() {
		node -e 'const [a, b] = process.argv.slice(1).map(f => require(f));
			const deps = p => JSON.stringify([p.dependencies, p.devDependencies]);
			process.exit(deps(a) === deps(b) ? 0 : 1)' "$PWD/package.json" "$committed/package.json"
	}
	if [[ -d $committed/node_modules/typescript ]] && same_deps; then
		ln -s "$committed/node_modules" node_modules
	else
		npm install --no-audit --no-fund --silent
	fi
	npx tsc
	cp package.json README.md bin/
	cd bin
	npm pack --silent --pack-destination "$DIST_DIR" > /dev/null
)
npm_tarball=smxlabs-pulumi-smx-$VERSION.tgz
[[ -f $DIST_DIR/$npm_tarball ]] || { echo "dist: npm pack wrote no $npm_tarball" >&2; exit 1; }
packed=$(tar -xOzf "$DIST_DIR/$npm_tarball" package/package.json | node -e \
	'let s = ""; process.stdin.on("data", d => s += d).on("end", () => console.log(JSON.parse(s).version))')
[[ $packed == "$VERSION" ]] || { echo "dist: $npm_tarball says version $packed, want $VERSION" >&2; exit 1; }

# Python: sdist and wheel with `build`, in a virtualenv of its own (cached in .work/).
if [[ ${DIST_PYTHON:-} != skip ]]; then
	echo "dist: building the Python sdist and wheel"
	venv=$ROOT/.work/dist-venv
	if [[ ! -x $venv/bin/python ]] || ! "$venv/bin/python" -c 'import build, setuptools, wheel, packaging' 2>/dev/null; then
		python3 -m venv "$venv"
		"$venv/bin/pip" install --quiet --upgrade pip
		"$venv/bin/pip" install --quiet 'build>=1.2' 'setuptools>=69' wheel packaging
	fi
	"$venv/bin/python" -m build --no-isolation --sdist --wheel --outdir "$DIST_DIR" "$BUILD/sdk/python" > "$BUILD/python-build.log" 2>&1 ||
		{ cat "$BUILD/python-build.log" >&2; echo "dist: building the Python SDK failed" >&2; exit 1; }
	# The version in the wheel's metadata must be VERSION as PEP 440 writes it
	# (1.2.0-rc.1 is 1.2.0rc1).
	"$venv/bin/python" - "$DIST_DIR" "$VERSION" <<-'EOF'
		import glob, os, sys, tarfile, zipfile
		from packaging.version import InvalidVersion, Version
		dist, version = sys.argv[1:]
		wheels = glob.glob(os.path.join(dist, "pulumi_smx-*.whl"))
		sdists = glob.glob(os.path.join(dist, "pulumi_smx-*.tar.gz"))
		if len(wheels) != 1 or len(sdists) != 1:
		    sys.exit(f"dist: want one wheel and one sdist of pulumi_smx, got {wheels} {sdists}")
		def field(text):
		    return next(l.split(":", 1)[1].strip() for l in text.splitlines() if l.startswith("Version:"))
		with zipfile.ZipFile(wheels[0]) as z:
		    wheel = field(z.read(next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))).decode())
		with tarfile.open(sdists[0]) as t:
		    member = next(m for m in t.getmembers() if m.name.count("/") == 1 and m.name.endswith("/PKG-INFO"))
		    sdist = field(t.extractfile(member).read().decode())
		try:
		    want = str(Version(version))
		except InvalidVersion:
		    sys.exit(f"dist: VERSION={version} has no PEP 440 form for the Python SDK")
		for kind, got in (("wheel", wheel), ("sdist", sdist)):
		    if got != want:
		        sys.exit(f"dist: the Python {kind} says version {got}, want {want} (VERSION={version})")
		print(f"dist: Python SDK version {want}")
	EOF
fi

# --- Go SDK: released by a tag on the commit, not by an artifact ---------------
# The module path must be github.com/smxlabs/pulumi-smx/sdk (a /vN suffix from
# v2 on) for the tag sdk/v<V> to name it; the committed sdk/go must be what the
# generator writes at V, but for the version it carries.
echo "dist: checking the Go SDK"
want_module=github.com/smxlabs/pulumi-smx/sdk
((MAJOR >= 2)) && want_module=$want_module/v$MAJOR
for mod in "$ROOT/sdk/go.mod" "$BUILD/sdk/go.mod"; do
	module=$(sed -n 's/^module[[:space:]]\{1,\}//p' "$mod")
	if [[ $module != "$want_module" ]]; then
		echo "dist: ${mod#"$DIST_DIR"/} declares module $module; a sdk/v$VERSION tag needs $want_module" >&2
		exit 1
	fi
done
# Compare with VERSION written back as the committed version in the fresh copy.
normalized=$BUILD/go-normalized
cp -r "$BUILD/sdk/go" "$normalized"
if [[ $VERSION != "$COMMITTED_VERSION" ]]; then
	{ grep -rlF -- "$VERSION" "$normalized" || true; } | while read -r f; do
		VERSION=$VERSION COMMITTED=$COMMITTED_VERSION perl -pi -e 's/\Q$ENV{VERSION}\E/$ENV{COMMITTED}/g' "$f"
	done
fi
if ! diff -r "$ROOT/sdk/go" "$normalized" > "$BUILD/go-sdk.diff"; then
	cat "$BUILD/go-sdk.diff" >&2
	echo "dist: the committed sdk/go is not what the generator writes (beyond its version): run 'make generate' and commit" >&2
	exit 1
fi
if [[ $VERSION == "$COMMITTED_VERSION" ]]; then
	echo "dist: Go SDK ready; once this commit is released, tag it: git tag sdk/v$VERSION && git push origin sdk/v$VERSION"
else
	echo "dist: Go SDK matches but for its version: it carries $COMMITTED_VERSION, so first set provider/VERSION to $VERSION," \
		"run 'make generate' and commit; then tag that commit: git tag sdk/v$VERSION && git push origin sdk/v$VERSION"
fi

# --- Checksums ------------------------------------------------------------------
(
	cd "$DIST_DIR"
	shopt -s nullglob
	sha256sum pulumi-resource-smx-v"$VERSION"-*.tar.gz "$npm_tarball" pulumi_smx-* schema.json > checksums.txt
)
echo "dist: done:"
(cd "$DIST_DIR" && shopt -s nullglob && ls -l -- *.tar.gz *.tgz *.whl schema.json checksums.txt)
