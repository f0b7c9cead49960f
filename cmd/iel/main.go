// Command iel is the "Inscription en ligne" portal and its tools:
//
//	iel serve [--demo] [--mail-viewer]         start the portal
//	iel migrate                                apply the database migrations
//	iel ct create --name N --email E           create a collectivité and its gestionnaire CT
//	iel staff create --email E --name "P N"    create an account of the CNFPT's staff
//
// Every command takes --db (IEL_DB); serve and ct create also take
// --base-url, --mail-from, --smtp and --addr (see iel serve -h).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"iel/internal/domain"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "iel:", message(err))
		}
		os.Exit(1)
	}
}

// message is what a person reads of err: a domain rule as written.
func message(err error) string {
	var derr *domain.Error
	if errors.As(err, &derr) {
		return derr.Message
	}
	return err.Error()
}

const usage = `usage:
  iel serve [--demo] [--mail-viewer] [--addr A] [--db D] [--smtp URL] [--base-url URL] [--mail-from F] [--trusted-proxies CIDRS]
  iel migrate [--db D]
  iel ct create --name NOM --email COURRIEL [--db D] [--base-url URL]
  iel staff create --email COURRIEL --name "PRÉNOM NOM" [--db D] [--base-url URL]
`

// run is the whole program, with its surroundings passed in so that tests
// run it as it runs in production.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("a command is required")
	}
	switch args[0] {
	case "serve":
		return serve(ctx, args[1:], getenv, stdout, stderr)
	case "migrate":
		return migrate(ctx, args[1:], getenv, stdout, stderr)
	case "ct":
		if len(args) > 1 && args[1] == "create" {
			return ctCreate(ctx, args[2:], getenv, stdout, stderr)
		}
	case "staff":
		if len(args) > 1 && args[1] == "create" {
			return staffCreate(ctx, args[2:], getenv, stdout, stderr)
		}
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}
