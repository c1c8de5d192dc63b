package fakesm

import (
	"fmt"
	"maps"

	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
)

// Out-of-band changes, as made by another tool, the console or a rotation.
// They are not counted as calls.

// mutate runs change on the secret secretID names (by ARN or name), with
// f.mu held, and returns its error. It looks the secret up with lookup, not
// lookupLive, so that a test can also change a secret scheduled for deletion
// (Purge exists for those), and it does not go through begin: nothing is
// counted or recorded, and FailNext does not apply.
func (f *Fake) mutate(secretID string, change func(s *secret) error) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, err := f.lookup(secretID)
	if err != nil {
		return err
	}
	return change(s)
}

// SetDescription changes a secret's description.
func (f *Fake) SetDescription(secretID, description string) error {
	return f.mutate(secretID, func(s *secret) error {
		s.description = description
		s.lastChanged = f.now()
		return nil
	})
}

// SetKmsKeyID changes the KMS key of a secret ("" for the default key).
func (f *Fake) SetKmsKeyID(secretID, keyID string) error {
	return f.mutate(secretID, func(s *secret) error {
		s.kmsKeyID = normalizeKMSKey(keyID)
		s.lastChanged = f.now()
		return nil
	})
}

// SetTags replaces all of a secret's tags.
func (f *Fake) SetTags(secretID string, tags map[string]string) error {
	return f.mutate(secretID, func(s *secret) error {
		s.tags = maps.Clone(tags)
		if s.tags == nil {
			s.tags = map[string]string{}
		}
		s.lastChanged = f.now()
		return nil
	})
}

// PutValueOutOfBand stores a new string value as AWSCURRENT, as a rotation
// or a manual edit would, and returns the new version's ID.
func (f *Fake) PutValueOutOfBand(secretID, value string) (string, error) {
	var id string
	err := f.mutate(secretID, func(s *secret) error {
		v := f.addVersion(s, newUUID(), &value, nil, nil)
		id = v.id
		return nil
	})
	return id, err
}

// DropVersion removes a version as AWS's garbage collection does. Like AWS,
// it refuses to remove a version that still carries a staging label.
func (f *Fake) DropVersion(secretID, versionID string) error {
	return f.mutate(secretID, func(s *secret) error {
		v, ok := s.versions[versionID]
		if !ok {
			return versionNotFound(versionID)
		}
		if len(v.stages) > 0 {
			return fmt.Errorf("fakesm: version %s still carries staging labels %v; AWS only collects unlabeled versions", versionID, v.stages)
		}
		delete(s.versions, versionID)
		return nil
	})
}

// SetResourcePolicy replaces a secret's resource policy ("" removes it), as
// an edit in the console would. The policy is stored rewritten, as
// PutResourcePolicy stores it.
func (f *Fake) SetResourcePolicy(secretID, policy string) error {
	return f.mutate(secretID, func(s *secret) error {
		if policy == "" {
			s.policy = ""
		} else {
			var err error
			if s.policy, err = normalizePolicy(policy); err != nil {
				return err
			}
		}
		s.lastChanged = f.now()
		return nil
	})
}

// SetReplicaStatus changes the replication status of one replica, as AWS
// does when replication to that region fails or recovers. status is InSync,
// InProgress or Failed; an empty message clears StatusMessage.
func (f *Fake) SetReplicaStatus(secretID, region, status, message string) error {
	return f.mutate(secretID, func(s *secret) error {
		st := types.StatusType(status)
		switch st {
		case types.StatusTypeInSync, types.StatusTypeInProgress, types.StatusTypeFailed:
		default:
			return fmt.Errorf("fakesm: replica status %q is not InSync, InProgress or Failed", status)
		}
		r := s.replica(region)
		if r == nil {
			return fmt.Errorf("fakesm: secret %s is not replicated to %s", s.name, region)
		}
		r.status, r.message = st, message
		return nil
	})
}

// SetNameTakenInRegion records that region already holds a secret named
// name that the fake does not manage. Replicating a secret of that name to
// region then fails (the replica's status is Failed, with the message
// NameTakenInRegion) unless ForceOverwriteReplicaSecret is set, which
// replaces the other secret.
func (f *Fake) SetNameTakenInRegion(region, name string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.takenNames[region] == nil {
		f.takenNames[region] = map[string]bool{}
	}
	f.takenNames[region][name] = true
}

// Purge completes a scheduled deletion at once, as the end of the recovery
// window would.
func (f *Fake) Purge(secretID string) error {
	return f.mutate(secretID, func(s *secret) error {
		if s.deletedDate == nil {
			return fmt.Errorf("fakesm: secret %s is not scheduled for deletion", s.name)
		}
		f.remove(s)
		return nil
	})
}
