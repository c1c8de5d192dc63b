// Package faketagging is a loopback stand-in for the Resource Groups Tagging
// API's ListRequiredTags, which moto does not serve. It answers as the AWS
// API reference describes (awsJson1.1, X-Amz-Target
// ResourceGroupsTaggingAPI_20170126.ListRequiredTags, pages joined by
// NextToken), so that smx:tagPolicyCompliance is tested through the real SDK
// client.
package faketagging

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
)

// Target is the X-Amz-Target of ListRequiredTags.
const Target = "ResourceGroupsTaggingAPI_20170126.ListRequiredTags"

// RequiredTag is one entry of ListRequiredTags' answer.
type RequiredTag struct {
	ResourceType                string   `json:"ResourceType"`
	ReportingTagKeys            []string `json:"ReportingTagKeys"`
	CloudFormationResourceTypes []string `json:"CloudFormationResourceTypes,omitempty"`
}

// Server answers ListRequiredTags with Required, PageSize entries a page.
type Server struct {
	URL string

	mu       sync.Mutex
	required []RequiredTag
	pageSize int
	deny     bool
	calls    int
}

// Start serves required on loopback until the test ends.
func Start(t testing.TB, required ...RequiredTag) *Server {
	t.Helper()
	s := &Server{required: required, pageSize: 1}
	server := httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(server.Close)
	s.URL = server.URL
	return s
}

// Deny makes every later call an IAM refusal, as AWS answers one.
func (s *Server) Deny() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.deny = true
}

// Calls is how many ListRequiredTags requests (pages) were answered.
func (s *Server) Calls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	if r.Method != http.MethodPost || r.Header.Get("X-Amz-Target") != Target ||
		r.Header.Get("Content-Type") != "application/x-amz-json-1.1" {
		writeError(w, http.StatusBadRequest, "UnknownOperationException", "this fake serves only "+Target+" in AWS JSON 1.1")
		return
	}
	if r.Header.Get("Authorization") == "" {
		writeError(w, http.StatusBadRequest, "MissingAuthenticationTokenException", "the request is not signed")
		return
	}
	s.calls++
	if s.deny {
		writeError(w, http.StatusBadRequest, "AccessDeniedException", "User: arn:aws:iam::123456789012:user/ci "+
			"is not authorized to perform: tag:ListRequiredTags")
		return
	}
	var in struct {
		MaxResults *int
		NextToken  *string
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		writeError(w, http.StatusBadRequest, "InvalidParameterException", "the body is not JSON")
		return
	}
	start := 0
	if in.NextToken != nil {
		n, err := strconv.Atoi(*in.NextToken)
		if err != nil || n < 0 || n > len(s.required) {
			writeError(w, http.StatusBadRequest, "InvalidParameterException", "bad NextToken")
			return
		}
		start = n
	}
	size := s.pageSize
	if in.MaxResults != nil && *in.MaxResults > 0 {
		size = *in.MaxResults
	}
	end := min(start+size, len(s.required))
	out := map[string]any{"RequiredTags": append([]RequiredTag{}, s.required[start:end]...)}
	if end < len(s.required) {
		out["NextToken"] = strconv.Itoa(end)
	}
	_ = json.NewEncoder(w).Encode(out)
}

func writeError(w http.ResponseWriter, status int, code, message string) {
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"__type": code, "Message": message})
}
