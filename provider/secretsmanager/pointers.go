package secretsmanager

// Helpers for the optional values of inputs and state: a nil pointer is an
// unset input, a nil slice or map an absent one. Where an unset input means
// the zero value, the SDK's own aws.ToString, aws.ToBool and aws.ToInt say
// so; ptrOr is for the inputs whose default is another value, which it
// names.

// ptrOr is *v, or fallback when v is unset.
func ptrOr[T any](v *T, fallback T) T {
	if v == nil {
		return fallback
	}
	return *v
}

// equalPtr reports whether two optional values are both unset, or both set
// to the same value.
func equalPtr[T comparable](a, b *T) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// emptyIfNil makes a result list that AWS left out an empty one, as
// pulumi-aws reports it.
func emptyIfNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// nilIfEmpty makes an empty map an unset one.
func nilIfEmpty(m map[string]string) map[string]string {
	if len(m) == 0 {
		return nil
	}
	return m
}
