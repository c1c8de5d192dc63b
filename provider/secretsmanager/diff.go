package secretsmanager

import p "github.com/pulumi/pulumi-go-provider"

// differ builds a detailed diff property by property. It records only which
// properties change and how, never their values, so a diff cannot leak a
// secret value.
type differ struct{ changes map[string]p.PropertyDiff }

func (d *differ) compare(property string, changed bool, kind p.DiffKind) {
	if !changed {
		return
	}
	if d.changes == nil {
		d.changes = map[string]p.PropertyDiff{}
	}
	d.changes[property] = p.PropertyDiff{Kind: kind, InputDiff: true}
}

func (d *differ) response() p.DiffResponse {
	return p.DiffResponse{HasChanges: len(d.changes) > 0, DetailedDiff: d.changes}
}
