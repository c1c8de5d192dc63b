package secretsmanager

// Helpers for the optional values of inputs and state: a nil pointer is an
// unset input, a nil slice or map an absent one.

func ptrOr[T any](v *T, fallback T) T {
	if v == nil {
		return fallback
	}
	return *v
}

func equalPtr[T comparable](a, b *T) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

func emptyIfNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func nilIfEmpty(m map[string]string) map[string]string {
	if len(m) == 0 {
		return nil
	}
	return m
}
