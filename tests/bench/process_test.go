package bench

// What the provider process costs on its own: start-up to its first answer,
// and its peak resident memory while the CLI drives it.

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/types/known/emptypb"
)

// startupToFirstAnswer starts the provider binary as the engine does (with
// an engine address; nothing is listening there, and the provider needs
// none to answer), waits for the port it prints, and times the first
// GetPluginInfo answer. It returns the median of runs.
func startupToFirstAnswer(b *testing.B, runs int) time.Duration {
	b.Helper()
	var took []time.Duration
	for range runs {
		start := time.Now()
		cmd := exec.Command(providerBinary, "127.0.0.1:1")
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			b.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		port, err := bufio.NewReader(stdout).ReadString('\n')
		if err != nil {
			b.Fatalf("the provider printed no port: %v", err)
		}
		conn, err := grpc.NewClient("127.0.0.1:"+strings.TrimSpace(port), grpc.WithTransportCredentials(insecure.NewCredentials()))
		if err != nil {
			b.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		_, err = pulumirpc.NewResourceProviderClient(conn).GetPluginInfo(ctx, &emptypb.Empty{}, grpc.WaitForReady(true))
		cancel()
		took = append(took, time.Since(start))
		_ = conn.Close()
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if err != nil {
			b.Fatalf("GetPluginInfo: %v", err)
		}
	}
	slices.Sort(took)
	return took[len(took)/2]
}

// rssSampler watches the provider plugins that a PULUMI_HOME runs and keeps
// the highest peak resident set (VmHWM) any of them reported, sampled
// every 100 ms, and the highest RssAnon and RssFile seen: the provider's
// own heap and stacks, and the binary's mapped pages, which every process
// of the same binary shares through the page cache.
type rssSampler struct {
	pluginDir string
	stop      chan struct{}
	done      sync.WaitGroup
	mu        sync.Mutex
	peak      rssPeaks
}

// rssPeaks are the highest values sampled, in kB; the RssAnon and RssFile
// peaks need not come from the same sample.
type rssPeaks struct {
	hwmKB, anonKB, fileKB int
}

func startRSSSampler(pulumiHome string) *rssSampler {
	s := &rssSampler{pluginDir: filepath.Join(pulumiHome, "plugins"), stop: make(chan struct{})}
	s.done.Go(func() {
		ticker := time.NewTicker(100 * time.Millisecond)
		defer ticker.Stop()
		for {
			s.sample()
			select {
			case <-s.stop:
				return
			case <-ticker.C:
			}
		}
	})
	return s
}

func (s *rssSampler) sample() {
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		if _, err := strconv.Atoi(e.Name()); err != nil {
			continue
		}
		exe, err := os.Readlink(filepath.Join("/proc", e.Name(), "exe"))
		if err != nil || !strings.HasPrefix(exe, s.pluginDir) || filepath.Base(exe) != "pulumi-resource-smx" {
			continue
		}
		status, err := os.ReadFile(filepath.Join("/proc", e.Name(), "status"))
		if err != nil {
			continue
		}
		for line := range strings.SplitSeq(string(status), "\n") {
			field, rest, ok := strings.Cut(line, ":")
			if !ok {
				continue
			}
			var peak *int
			switch field {
			case "VmHWM":
				peak = &s.peak.hwmKB
			case "RssAnon":
				peak = &s.peak.anonKB
			case "RssFile":
				peak = &s.peak.fileKB
			default:
				continue
			}
			var kb int
			if _, err := fmt.Sscanf(strings.TrimSpace(rest), "%d kB", &kb); err == nil {
				s.mu.Lock()
				*peak = max(*peak, kb)
				s.mu.Unlock()
			}
		}
	}
}

// peaksMB stops the sampler and returns the peaks it saw, in MB: VmHWM,
// RssAnon and RssFile.
func (s *rssSampler) peaksMB() (hwm, anon, file float64) {
	close(s.stop)
	s.done.Wait()
	s.mu.Lock()
	defer s.mu.Unlock()
	return float64(s.peak.hwmKB) / 1024, float64(s.peak.anonKB) / 1024, float64(s.peak.fileKB) / 1024
}
