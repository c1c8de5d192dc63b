package e2e

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/smxlabs/pulumi-smx/internal/faultproxy"
)

// TestNetworkSettings proves, through the real CLI on moto and in one
// stack, that pulumi-aws's network settings reach AWS as pulumi-aws's do:
//
//   - smx:endpoints[].secretsmanager in place of the environment variable
//     (unset for the whole run), set with `pulumi config set --path` as a
//     pulumi-aws user sets aws:endpoints;
//   - smx:httpProxy: the endpoint's host (secretsmanager.smx.test) resolves
//     nowhere, so a call only arrives through the forward proxy (the fault
//     proxy, which forwards any request to moto and counts it);
//   - smx:customCaBundle: a TLS-terminating reverse proxy on 127.0.0.1 in
//     front of moto, with a certificate made here. Without the bundle `up`
//     fails on the certificate; with it, up and destroy go through.
func TestNetworkSettings(t *testing.T) {
	t.Parallel()
	r := newStackRun(t)
	// Nothing of the network comes from the environment.
	env := map[string]string{}
	for _, name := range []string{"AWS_ENDPOINT_URL_SECRETS_MANAGER", "AWS_ENDPOINT_URL", "HTTP_PROXY", "HTTPS_PROXY",
		"NO_PROXY", "http_proxy", "https_proxy", "no_proxy", "AWS_CA_BUNDLE"} {
		env[name] = unsetEnv
	}
	proxy := faultproxy.Start(t, r.moto.Endpoint)
	front, caFile, frontCalls := tlsFrontOf(t, r.moto.Endpoint)

	project := t.TempDir()
	writeNetworkProgram(t, project, "through a proxy")
	cli := func(args ...string) cliResult {
		t.Helper()
		return r.runCommand(runOptions{dir: project, env: env}, "pulumi", append(args, "--non-interactive")...)
	}
	cli("stack", "init", "network")

	// endpoints and httpProxy.
	cli("config", "set", "--plaintext", "--path", "smx:endpoints[0].secretsmanager", "http://secretsmanager.smx.test:4566")
	cli("config", "set", "--plaintext", "--path", "smx:endpoints[0].s3", "http://s3.smx.test:4566") // pulumi-aws's key: ignored
	cli("config", "set", "--plaintext", "smx:httpProxy", proxy.URL)
	cli("up", "--yes")
	if got := proxy.Count("CreateSecret").Received; got != 1 {
		t.Fatalf("the proxy forwarded %d CreateSecret calls (%v), want 1", got, proxy.Counts())
	}
	assertDescription(t, r, "network/one", "through a proxy")

	// customCaBundle: the same stack moves to the TLS front.
	cli("config", "rm", "smx:httpProxy")
	cli("config", "set", "--plaintext", "--path", "smx:endpoints[0].secretsmanager", front)
	cli("config", "set", "--plaintext", "smx:maxRetries", "0")
	writeNetworkProgram(t, project, "over TLS")
	failed := r.runCommand(runOptions{dir: project, env: env, expect: eitherOutcome}, "pulumi", "up", "--yes", "--non-interactive")
	if failed.err == nil || !strings.Contains(failed.output(), "certificate") {
		t.Fatalf("up without smx:customCaBundle: want it to fail on the certificate:\n%s", failed)
	}
	assertDescription(t, r, "network/one", "through a proxy")
	cli("config", "set", "--plaintext", "smx:customCaBundle", caFile)
	before := frontCalls.Load()
	proxyCalls := proxy.Total().Received
	cli("up", "--yes")
	assertDescription(t, r, "network/one", "over TLS")
	if frontCalls.Load() == before {
		t.Fatal("up with smx:customCaBundle made no call through the TLS front")
	}
	if got := proxy.Total().Received; got != proxyCalls {
		t.Fatalf("with smx:httpProxy removed, %d calls still went through the proxy", got-proxyCalls)
	}
	cli("destroy", "--yes")
	r.assertNoLiveSecrets()
}

func writeNetworkProgram(t *testing.T, project, description string) {
	t.Helper()
	program := "name: smx-network\nruntime: yaml\nresources:\n" +
		"  one:\n    type: smx:secretsmanager:Secret\n    properties:\n" +
		"      name: network/one\n      description: " + description + "\n      recoveryWindowInDays: 0\n"
	if err := os.WriteFile(filepath.Join(project, "Pulumi.yaml"), []byte(program), 0o644); err != nil {
		t.Fatal(err)
	}
}

func assertDescription(t *testing.T, r *stackRun, name, want string) {
	t.Helper()
	out, err := r.client.DescribeSecret(context.Background(), &sm.DescribeSecretInput{SecretId: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	if got := aws.ToString(out.Description); got != want {
		t.Fatalf("%s's description is %q, want %q", name, got, want)
	}
}

// tlsFrontOf serves target over https:// on 127.0.0.1 with a self-signed
// certificate made here, and returns its URL, the certificate as a PEM file
// and a count of the requests it forwarded.
func tlsFrontOf(t *testing.T, target string) (string, string, *atomic.Int64) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	template := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "smx e2e TLS front"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, template, template, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	var calls atomic.Int64
	forward := httputil.NewSingleHostReverseProxy(u)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		calls.Add(1)
		forward.ServeHTTP(w, req)
	}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	caFile := filepath.Join(t.TempDir(), "front-ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return srv.URL, caFile, &calls
}
