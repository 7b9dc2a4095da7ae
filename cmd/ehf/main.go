// Command ehf validates Norwegian EHF and Peppol BIS Billing 3.0 documents,
// looks up receivers in the Peppol network, sends documents and serves a
// validation webhook.
//
// Usage:
//
//	ehf <command> [flags] [arguments]
//
// Run "ehf help" for the list of commands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"syscall"
)

// Exit statuses shared by every command.
const (
	exitOK      = 0 // everything valid / done
	exitInvalid = 1 // at least one document has a fatal finding
	exitUsage   = 2 // bad usage, or an input that cannot be read
)

// env is what a command sees of the outside world; tests supply their own.
type env struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
}

// command is one subcommand. Each lives in its own file and registers itself
// from init, so that adding a command never touches this file.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, e *env, args []string) int
}

var commands = map[string]*command{}

func register(c *command) {
	if _, dup := commands[c.name]; dup {
		panic("ehf: command registered twice: " + c.name)
	}
	commands[c.name] = c
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}, os.Args[1:])
	stop()
	os.Exit(code)
}

// run dispatches to a subcommand and returns the process exit status.
func run(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(e.stdout)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(e.stderr, "ehf: unknown command %q (run \"ehf help\")\n", args[0])
		return exitUsage
	}
	return c.run(ctx, e, args[1:])
}

// parseFlags parses a command's flags. When it returns false the command
// ends with the status it returns: 0 after -h, 2 for flags it could not
// read (the flag package has already said why on stderr).
func parseFlags(fs *flag.FlagSet, args []string) (int, bool) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK, false
		}
		return exitUsage, false
	}
	return exitOK, true
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "ehf: validate, look up and send EHF / Peppol BIS Billing 3.0 documents")
	fmt.Fprintln(w, "\nUsage: ehf <command> [flags] [arguments]\n\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nRun \"ehf <command> -h\" for a command's flags.")
}
