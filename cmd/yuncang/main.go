// Command yuncang is the yuncang cloud-warehouse server and its tools.
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
	"strings"
	"syscall"
)

// stdio is a command's standard streams, so tests can run commands in process.
type stdio struct {
	in  io.Reader
	out io.Writer
	err io.Writer
}

type command struct {
	summary string
	run     func(ctx context.Context, args []string, s stdio) error
}

// commands maps a subcommand (possibly two words, e.g. "pii scan") to its runner.
var commands = map[string]command{}

func register(name, summary string, run func(ctx context.Context, args []string, s stdio) error) {
	commands[name] = command{summary: summary, run: run}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], stdio{in: os.Stdin, out: os.Stdout, err: os.Stderr})
	stop()
	os.Exit(code)
}

// errUsage marks an error already explained by a usage message.
var errUsage = errors.New("usage")

// run dispatches to a subcommand and returns the process exit code.
func run(ctx context.Context, args []string, s stdio) int {
	if len(args) == 0 {
		// No command is a usage error (exit 2), as with flag parsing; asking
		// for help is not.
		usage(s.err)
		return 2
	}
	if args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(s.out)
		return 0
	}
	name := args[0]
	rest := args[1:]
	if len(args) > 1 {
		if _, ok := commands[args[0]+" "+args[1]]; ok {
			name, rest = args[0]+" "+args[1], args[2:]
		}
	}
	c, ok := commands[name]
	if !ok {
		// A group of commands ("device", "audit"): list its members.
		var group []string
		for n := range commands {
			if strings.HasPrefix(n, name+" ") {
				group = append(group, n)
			}
		}
		if len(group) > 0 {
			sort.Strings(group)
			fmt.Fprintf(s.err, "yuncang %s: choose one of\n", name)
			for _, n := range group {
				fmt.Fprintf(s.err, "  yuncang %-20s %s\n", n, commands[n].summary)
			}
			if len(rest) > 0 && (rest[0] == "-h" || rest[0] == "--help") {
				return 0
			}
			return 2
		}
		fmt.Fprintf(s.err, "yuncang: unknown command %q\n\n", name)
		usage(s.err)
		return 2
	}
	if err := c.run(ctx, rest, s); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		if errors.Is(err, errUsage) {
			return 2
		}
		fmt.Fprintf(s.err, "yuncang %s: %v\n", name, err)
		return 1
	}
	return 0
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "yuncang — privacy-first cloud warehouse\n\nUsage: yuncang <command> [flags]\n\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-16s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nRun 'yuncang <command> --help' for a command's flags.")
}

// newFlagSet returns a flag set that prints its usage to s.err and returns
// errors instead of exiting.
func newFlagSet(name, synopsis string, s stdio) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(s.err)
	fs.Usage = func() {
		if msg := flagAfterArgs(fs); msg != "" {
			fmt.Fprintln(s.err, msg)
		}
		fmt.Fprintf(s.err, "Usage: yuncang %s\n\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// flagAfterArgs explains a command line the flag package read wrongly: it
// stops at the first positional argument, so flags written after one
// ("import FILE --db X") were taken as more positional arguments.
func flagAfterArgs(fs *flag.FlagSet) string {
	if !fs.Parsed() || fs.NArg() < 2 {
		return ""
	}
	for _, a := range fs.Args()[1:] {
		name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if strings.HasPrefix(a, "-") && fs.Lookup(name) != nil {
			return fmt.Sprintf("flags must come before the other arguments: %s comes after %s", a, fs.Arg(0))
		}
	}
	return ""
}

// plural is "1 order", "2 orders".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// parseNoArgs parses flags and refuses positional arguments.
func parseNoArgs(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return errUsage
	}
	return nil
}
