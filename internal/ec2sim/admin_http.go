// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2sim

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
)

// AdminPrefix is the path under which the admin API is served. No EC2
// action uses it: EC2 actions are all served on "/".
const AdminPrefix = "/_ec2sim/"

// Admin API paths, relative to the server's base URL.
const (
	PathHealth      = AdminPrefix + "healthz"
	PathState       = AdminPrefix + "state"
	PathNatGateways = AdminPrefix + "natgateways/"
	PathPurge       = AdminPrefix + "purge"
	PathFaults      = AdminPrefix + "faults"
	PathThrottle    = AdminPrefix + "throttle"
	PathDurations   = AdminPrefix + "durations"
	PathClock       = AdminPrefix + "clock"
	PathCalls       = AdminPrefix + "calls"
	PathClientCalls = AdminPrefix + "calls/clients"
	PathReset       = AdminPrefix + "reset"
)

type deleteRequest struct {
	Immediate bool `json:"immediate"`
}

type failRequest struct {
	Code    string `json:"code,omitempty"`
	Message string `json:"message,omitempty"`
}

type purgeResponse struct {
	Purged int `json:"purged"`
}

type errorResponse struct {
	Error string `json:"error"`
}

func (s *Server) adminHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+PathHealth, func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("GET "+PathState, func(w http.ResponseWriter, r *http.Request) {
		st, err := s.State(r.Context(), r.URL.Query().Get("account"), r.URL.Query().Get("region"))
		respond(w, st, err)
	})
	mux.HandleFunc("POST "+PathNatGateways+"{id}/delete", func(w http.ResponseWriter, r *http.Request) {
		var req deleteRequest
		if !readJSON(w, r, &req, true) {
			return
		}
		respond(w, map[string]string{"natGatewayId": r.PathValue("id")}, s.DeleteNatGateway(r.Context(), r.PathValue("id"), req.Immediate))
	})
	mux.HandleFunc("POST "+PathNatGateways+"{id}/fail", func(w http.ResponseWriter, r *http.Request) {
		var req failRequest
		if !readJSON(w, r, &req, true) {
			return
		}
		respond(w, map[string]string{"natGatewayId": r.PathValue("id")}, s.FailNatGateway(r.Context(), r.PathValue("id"), req.Code, req.Message))
	})
	mux.HandleFunc("POST "+PathNatGateways+"{id}/purge", func(w http.ResponseWriter, r *http.Request) {
		respond(w, map[string]string{"natGatewayId": r.PathValue("id")}, s.PurgeNatGateway(r.Context(), r.PathValue("id")))
	})
	mux.HandleFunc("POST "+PathPurge, func(w http.ResponseWriter, r *http.Request) {
		n, err := s.Purge(r.Context())
		respond(w, purgeResponse{Purged: n}, err)
	})
	mux.HandleFunc("GET "+PathFaults, func(w http.ResponseWriter, r *http.Request) {
		f, err := s.Faults(r.Context())
		respond(w, f, err)
	})
	mux.HandleFunc("PUT "+PathFaults, func(w http.ResponseWriter, r *http.Request) {
		var f []Fault
		if !readJSON(w, r, &f, false) {
			return
		}
		if err := s.SetFaults(r.Context(), f); err != nil {
			writeJSON(w, http.StatusBadRequest, errorResponse{Error: err.Error()})
			return
		}
		got, err := s.Faults(r.Context())
		respond(w, got, err)
	})
	mux.HandleFunc("GET "+PathThrottle, func(w http.ResponseWriter, r *http.Request) {
		t, err := s.Throttle(r.Context())
		respond(w, t, err)
	})
	mux.HandleFunc("PUT "+PathThrottle, func(w http.ResponseWriter, r *http.Request) {
		var t ThrottleConfig
		if !readJSON(w, r, &t, false) {
			return
		}
		if err := s.SetThrottle(r.Context(), t); err != nil {
			writeJSON(w, http.StatusBadRequest, errorResponse{Error: err.Error()})
			return
		}
		got, err := s.Throttle(r.Context())
		respond(w, got, err)
	})
	mux.HandleFunc("GET "+PathDurations, func(w http.ResponseWriter, _ *http.Request) {
		s.mu.Lock()
		d := s.durations
		s.mu.Unlock()
		writeJSON(w, http.StatusOK, d)
	})
	mux.HandleFunc("PUT "+PathDurations, func(w http.ResponseWriter, r *http.Request) {
		var d Durations
		if !readJSON(w, r, &d, false) {
			return
		}
		got, err := s.SetDurations(r.Context(), d)
		respond(w, got, err)
	})
	mux.HandleFunc("GET "+PathClock, func(w http.ResponseWriter, r *http.Request) {
		c, err := s.Clock(r.Context())
		respond(w, c, err)
	})
	mux.HandleFunc("PUT "+PathClock, func(w http.ResponseWriter, r *http.Request) {
		var u ClockUpdate
		if !readJSON(w, r, &u, false) {
			return
		}
		c, err := s.SetClock(r.Context(), u)
		if err != nil {
			writeJSON(w, http.StatusBadRequest, errorResponse{Error: err.Error()})
			return
		}
		writeJSON(w, http.StatusOK, c)
	})
	mux.HandleFunc("GET "+PathCalls, func(w http.ResponseWriter, r *http.Request) {
		c, err := s.Calls(r.Context())
		respond(w, c, err)
	})
	mux.HandleFunc("GET "+PathClientCalls, func(w http.ResponseWriter, r *http.Request) {
		c, err := s.ClientCalls(r.Context())
		respond(w, c, err)
	})
	mux.HandleFunc("DELETE "+PathCalls, func(w http.ResponseWriter, r *http.Request) {
		respond(w, map[string]string{}, s.ResetCalls(r.Context()))
	})
	mux.HandleFunc("POST "+PathReset, func(w http.ResponseWriter, r *http.Request) {
		respond(w, map[string]string{}, s.Reset(r.Context()))
	})
	s.stsAdminRoutes(mux)
	return mux
}

// readJSON decodes the request body into v; an empty body is allowed when
// optional is true. It answers 400 and returns false on bad input.
func readJSON(w http.ResponseWriter, r *http.Request, v any, optional bool) bool {
	b, err := io.ReadAll(io.LimitReader(r.Body, maxRequestBody))
	if err != nil {
		writeJSON(w, http.StatusBadRequest, errorResponse{Error: "cannot read request body: " + err.Error()})
		return false
	}
	if len(b) == 0 && optional {
		return true
	}
	if err := json.Unmarshal(b, v); err != nil {
		writeJSON(w, http.StatusBadRequest, errorResponse{Error: "cannot decode request body: " + err.Error()})
		return false
	}
	return true
}

func respond(w http.ResponseWriter, v any, err error) {
	switch {
	case err == nil:
		writeJSON(w, http.StatusOK, v)
	case errors.Is(err, ErrNotFound):
		writeJSON(w, http.StatusNotFound, errorResponse{Error: err.Error()})
	case errors.Is(err, ErrConflict):
		writeJSON(w, http.StatusConflict, errorResponse{Error: err.Error()})
	default:
		writeJSON(w, http.StatusBadRequest, errorResponse{Error: err.Error()})
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	var b bytes.Buffer
	if err := json.NewEncoder(&b).Encode(v); err != nil {
		// Only a value JSON cannot hold, such as NaN, gets here.
		http.Error(w, "cannot encode the response: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b.Bytes())
}
