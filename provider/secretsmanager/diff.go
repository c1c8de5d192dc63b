package secretsmanager

import (
	"fmt"

	p "github.com/pulumi/pulumi-go-provider"
)

// differ builds a detailed diff property by property. It records only which
// properties change and how, never their values, so a diff cannot leak a
// secret value.
//
// The engine shows each change from the values the diff points it at. smx's
// Diff compares the program's inputs with the recorded state, so that is
// what a change shows by default: the state's value against the program's
// (InputDiff false). A property the program leaves unset but that drifted in
// AWS is then shown with its old value and going away, where a diff of old
// inputs against new ones would show nothing at all, since neither holds it.
type differ struct{ changes map[string]p.PropertyDiff }

// compare records a change of property, shown as the state's value against
// the program's.
func (d *differ) compare(property string, changed bool, kind p.DiffKind) {
	d.record(property, changed, p.PropertyDiff{Kind: kind})
}

// compareOptional is compare for a property the program may leave unset: a
// change from or to unset shows as the property added or removed, not as a
// value replaced by nothing.
func (d *differ) compareOptional(property string, changed, inProgram, inState bool, kind p.DiffKind) {
	if added, ok := presenceKinds[kind]; ok {
		switch {
		case inProgram && !inState:
			kind = added[0]
		case !inProgram && inState:
			kind = added[1]
		}
	}
	d.compare(property, changed, kind)
}

// presenceKinds are the kinds of a change of value as a property that
// comes ([0]) or goes ([1]).
var presenceKinds = map[p.DiffKind][2]p.DiffKind{
	p.Update:        {p.Add, p.Delete},
	p.UpdateReplace: {p.AddReplace, p.DeleteReplace},
}

// compareElement records that the element at index of a list property is
// added or deleted: the index is in the program's list for an added
// element, in the state's for a deleted one, so that the preview shows
// exactly the element that comes or goes and leaves the others alone.
func (d *differ) compareElement(property string, index int, kind p.DiffKind) {
	d.compare(fmt.Sprintf("%s[%d]", property, index), true, kind)
}

// compareInputs records a change shown as the old inputs against the new:
// for a property whose state carries more than the program sets (a
// replica's status from AWS), so that the preview shows the program's words.
func (d *differ) compareInputs(property string, changed bool, kind p.DiffKind) {
	d.record(property, changed, p.PropertyDiff{Kind: kind, InputDiff: true})
}

func (d *differ) record(property string, changed bool, diff p.PropertyDiff) {
	if !changed {
		return
	}
	if d.changes == nil {
		d.changes = map[string]p.PropertyDiff{}
	}
	d.changes[property] = diff
}

func (d *differ) response() p.DiffResponse {
	return p.DiffResponse{HasChanges: len(d.changes) > 0, DetailedDiff: d.changes}
}
