//go:build !unix

package schematron

import "time"

func cpuTime() time.Duration { return 0 }
