// Package server is the validation webhook behind "ehf serve": invoice
// pipelines POST each document to /v1/validate and get the same report
// "ehf validate --format jsonl" prints, as JSON.
//
// It is built to stay up whatever it is sent:
//
//   - every document is parsed and validated by a fixed pool of workers
//     (one per core by default) fed by a bounded queue; past the queue the
//     answer is 503 with Retry-After, so load never becomes goroutines;
//   - bodies are limited one by one (413) and together: the bytes held in
//     request bodies at any moment never pass Config.MaxBodyMemory (503
//     when they would);
//   - open connections are limited (Config.MaxConns; beyond that the
//     kernel queues them) and each must send its headers within
//     ReadHeaderTimeout and its body within ReadTimeout (slow clients are
//     cut off, 408);
//   - the XML reader refuses DTDs, entities and deep nesting (400 with
//     line and column);
//   - a validator that panics on some document costs that request (500),
//     not the process.
//
// So its memory is bounded by about MaxBodyMemory + Workers × (the parse
// tree of one MaxBodySize document) + MaxConns × 30 KiB of connection
// state.
//
// Valid documents can go on: posted to a next hop before the answer
// (Config.Forward, retried with backoff under one Idempotency-Key), or
// committed to a durable outbox and answered 202 (Config.Outbox); invalid
// ones are then answered 422.
//
// The server keeps no state between requests: run as many instances as
// needed behind any load balancer (sharing one PostgreSQL outbox when
// documents go through it). /readyz turns 503 as soon as a shutdown
// starts, so a balancer stops sending before in-flight requests finish.
//
// The routes, their parameters and every status they answer are described
// in the OpenAPI document served at /openapi.json (OpenAPI).
package server
