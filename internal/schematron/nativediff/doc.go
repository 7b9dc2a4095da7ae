// Package nativediff holds the differential test between the native rule
// pack (internal/rules) and the Schematron engine running the official
// files of the same release. It has no code of its own: it is a separate
// package so that the engine's own tests do not depend on the native pack.
package nativediff
