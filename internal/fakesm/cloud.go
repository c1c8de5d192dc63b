package fakesm

import (
	"fmt"
	"strings"
	"sync"
	"time"
)

// Cloud is a set of fakes, one per account and region, made on first use,
// that know one another: what one account does to a secret of another
// (cross-account replication, crossaccount.go) reaches that account's fake.
// Its fakes share one lock and one clock. Tests that need a single account
// and region keep using New.
type Cloud struct {
	mu    sync.Mutex
	now   func() time.Time
	fakes map[cloudKey]*Fake
}

type cloudKey struct{ account, region string }

// NewCloud returns a cloud with no secrets, whose fakes read the clock now
// (nil: time.Now).
func NewCloud(now func() time.Time) *Cloud {
	if now == nil {
		now = time.Now
	}
	return &Cloud{now: now, fakes: map[cloudKey]*Fake{}}
}

// Fake returns the fake of account in region, making it on first use.
func (c *Cloud) Fake(account, region string) *Fake {
	c.mu.Lock()
	defer c.mu.Unlock()
	key := cloudKey{account, region}
	if f, ok := c.fakes[key]; ok {
		return f
	}
	f := New(WithAccount(account), WithRegion(region), WithClock(c.now))
	f.mu = &c.mu
	f.cloud = c
	c.fakes[key] = f
	return f
}

// fakeOf returns the fake that holds the secret an ARN names, or nil when
// the ARN is not a Secrets Manager secret ARN or no fake plays its account
// and region. c.mu must be held (it is every fake's lock).
func (c *Cloud) fakeOf(arn string) *Fake {
	account, region, ok := accountAndRegion(arn)
	if !ok {
		return nil
	}
	return c.fakes[cloudKey{account, region}]
}

// accountAndRegion reads the account and region of a secret ARN:
// arn:<partition>:secretsmanager:<region>:<account>:secret:<name>.
func accountAndRegion(arn string) (account, region string, ok bool) {
	parts := strings.SplitN(arn, ":", 7)
	if len(parts) != 7 || parts[0] != "arn" || parts[2] != "secretsmanager" || parts[5] != "secret" {
		return "", "", false
	}
	return parts[4], parts[3], true
}

// String names the fakes the cloud holds, for test failures.
func (c *Cloud) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	names := make([]string, 0, len(c.fakes))
	for k := range c.fakes {
		names = append(names, k.account+"/"+k.region)
	}
	return fmt.Sprintf("fakesm.Cloud%v", names)
}
