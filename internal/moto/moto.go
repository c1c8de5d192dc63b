// Package moto runs moto_server, the local Secrets Manager that smx's
// integration and end-to-end tests run against. Each server listens on a free
// loopback port and is stopped when the test that started it ends.
package moto

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

// Region and the fake credentials every test uses against moto.
const (
	Region          = "us-east-1"
	AccessKeyID     = "testing"
	SecretAccessKey = "testing"
)

// Server is a running moto_server.
type Server struct {
	// Endpoint is the server's base URL, e.g. http://127.0.0.1:45123.
	Endpoint string
}

// Start starts moto_server for the duration of the test t.
//
// Under `go test -short` (`make test-unit`, the fast loop) the test is
// skipped instead: it needs moto, which `make test` and CI always run.
func Start(t testing.TB) *Server {
	t.Helper()
	return startWith(t, nil)
}

// UnauthenticatedCalls is how many requests a server StartEnforcingIAM
// started serves without credentials: what it takes to make its one admin
// (create-user, put-user-policy, create-access-key).
const UnauthenticatedCalls = 3

// StartEnforcingIAM starts moto_server with IAM enforcement on: after
// UnauthenticatedCalls requests, every request must be signed with an access
// key of an IAM user that moto holds, and is refused (HTTP 403, AccessDenied)
// unless that user's policies allow the action. moto checks actions only:
// it matches every Secrets Manager request against Resource "*", so a
// statement scoped to secret ARNs never matches there.
func StartEnforcingIAM(t testing.TB) *Server {
	t.Helper()
	return startWith(t, []string{fmt.Sprintf("INITIAL_NO_AUTH_ACTION_COUNT=%d", UnauthenticatedCalls)})
}

func startWith(t testing.TB, env []string) *Server {
	t.Helper()
	if testing.Short() {
		t.Skip("needs moto_server: run by `make test`, skipped by -short")
	}
	binary, err := exec.LookPath("moto_server")
	if err != nil {
		t.Fatalf("moto_server is not installed: run `make tools` (it installs moto with pip): %v", err)
	}
	// A port picked free can be taken before moto binds it; try a few.
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		port, err := freePort()
		if err != nil {
			t.Fatalf("finding a free port: %v", err)
		}
		srv, err := start(t, binary, port, env)
		if err == nil {
			return srv
		}
		lastErr = err
	}
	t.Fatalf("starting moto_server: %v", lastErr)
	return nil
}

func start(t testing.TB, binary string, port int, env []string) (*Server, error) {
	logPath := filepath.Join(t.TempDir(), "moto.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(binary, "-H", "127.0.0.1", "-p", strconv.Itoa(port))
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.Env = append(os.Environ(), env...)
	// The log is read only to explain a failed start: an error closing it
	// changes nothing.
	if err := cmd.Start(); err != nil {
		_ = logFile.Close()
		return nil, err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait(); _ = logFile.Close() }()
	stop := func() {
		_ = cmd.Process.Kill()
		<-exited //nolint:errcheck // killed on purpose: its exit status says nothing
	}

	endpoint := fmt.Sprintf("http://127.0.0.1:%d", port)
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(endpoint + "/moto-api/")
		if err == nil {
			_ = resp.Body.Close()
			break
		}
		select {
		case exit := <-exited:
			log, _ := os.ReadFile(logPath)
			return nil, fmt.Errorf("moto_server exited (%w): %s", exit, log)
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			stop()
			return nil, fmt.Errorf("moto_server did not answer on %s within 30s", endpoint)
		}
	}
	t.Cleanup(stop)
	return &Server{Endpoint: endpoint}, nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer func() { _ = l.Close() }()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// Client returns a Secrets Manager client for this server, for tests to
// arrange and check state directly.
func (s *Server) Client() *sm.Client {
	return sm.New(sm.Options{
		Region:       Region,
		BaseEndpoint: aws.String(s.Endpoint),
		Credentials:  credentials.NewStaticCredentialsProvider(AccessKeyID, SecretAccessKey, ""),
	})
}

// Env is the environment that points the provider, the AWS CLI and any AWS
// SDK at this server through the standard variables alone: nothing in a
// program names the endpoint.
func (s *Server) Env() map[string]string {
	return map[string]string{
		"AWS_ENDPOINT_URL_SECRETS_MANAGER": s.Endpoint,
		"AWS_ACCESS_KEY_ID":                AccessKeyID,
		"AWS_SECRET_ACCESS_KEY":            SecretAccessKey,
		"AWS_REGION":                       Region,
		"AWS_DEFAULT_REGION":               Region,
	}
}

// Reset clears every secret, so tests sharing a server start clean.
func (s *Server) Reset(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.Endpoint+"/moto-api/reset", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	_ = resp.Body.Close()
	return nil
}
