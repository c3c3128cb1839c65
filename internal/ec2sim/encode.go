// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2sim

import (
	"bytes"
	"encoding/xml"
	"net/http"
	"strconv"
	"time"
)

// Namespace is the XML namespace of EC2 API version 2016-11-15.
const Namespace = "http://ec2.amazonaws.com/doc/2016-11-15/"

// timeFormat is the timestamp layout EC2 writes: UTC with milliseconds.
const timeFormat = "2006-01-02T15:04:05.000Z"

func formatTime(t time.Time) string {
	return t.UTC().Format(timeFormat)
}

// set is an EC2 list: a wrapper element whose children are all <item>.
type set[T any] struct {
	Items []T `xml:"item"`
}

// requestIDField starts every success body.
type requestIDField struct {
	RequestID string `xml:"requestId"`
}

func (r *requestIDField) setRequestID(id string) { r.RequestID = id }

// returnBody is the output of actions that answer only <return>true</return>.
type returnBody struct {
	requestIDField

	Return bool `xml:"return"`
}

// encodeSuccess renders <{Action}Response xmlns=...> with body's fields.
func encodeSuccess(action string, body any) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	start := xml.StartElement{
		Name: xml.Name{Local: action + "Response"},
		Attr: []xml.Attr{{Name: xml.Name{Local: "xmlns"}, Value: Namespace}},
	}
	if err := enc.EncodeElement(body, start); err != nil {
		return nil, err
	}
	if err := enc.Flush(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

type errorEnvelope struct {
	XMLName   xml.Name      `xml:"Response"`
	Errors    []errorDetail `xml:"Errors>Error"`
	RequestID string        `xml:"RequestID"`
}

type errorDetail struct {
	Code    string `xml:"Code"`
	Message string `xml:"Message"`
}

func encodeError(e *APIError, requestID string) []byte {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	// Marshalling a fixed struct of strings cannot fail.
	out, _ := xml.Marshal(errorEnvelope{Errors: []errorDetail{{Code: e.Code, Message: e.Message}}, RequestID: requestID})
	b.Write(out)
	return b.Bytes()
}

func writeXML(w http.ResponseWriter, status int, requestID string, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "text/xml;charset=UTF-8")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	h.Set("X-Amzn-Requestid", requestID)
	h.Set("Server", "AmazonEC2")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func writeError(w http.ResponseWriter, requestID string, e *APIError) {
	writeXML(w, e.Status, requestID, encodeError(e, requestID))
}
