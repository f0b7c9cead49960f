package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"iel/internal/auth"
	"iel/internal/config"
	"iel/internal/jobs"
	"iel/internal/mail"
	"iel/internal/store"
	"iel/internal/web"
)

// serve starts the portal, the outbox worker and the scheduled jobs, until
// ctx ends.
func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := config.Parse("iel serve", args, getenv, stderr)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	// A wrong --smtp stops the start before anything else happens.
	var sender *mail.SMTPSender
	if cfg.SMTP != "" {
		if sender, err = mail.NewSMTPSender(cfg.SMTP, cfg.MailFrom, nil); err != nil {
			return err
		}
	}
	st, err := store.Open(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer st.Close()

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	defer ln.Close()
	if cfg.BaseURL == "http://"+cfg.Addr {
		cfg.BaseURL = "http://" + ln.Addr().String() // --addr with port 0
	}
	letters, err := mail.NewLetters(cfg.BaseURL)
	if err != nil {
		return err
	}
	hasher := auth.NewHasher(auth.DefaultParams, 0)

	var worker *mail.Worker
	if sender != nil {
		worker = &mail.Worker{Queue: st, Sender: sender, Log: log}
	}
	srv, err := web.New(web.Deps{Config: cfg, Store: st, Hasher: hasher, Letters: letters, Log: log, Wake: func() {
		if worker != nil {
			worker.Wake()
		}
	}})
	if err != nil {
		return err
	}
	if cfg.Demo {
		if err := seedDemo(ctx, st, hasher, letters, stdout); err != nil {
			return err
		}
	}

	hs := &http.Server{
		Handler:           http.MaxBytesHandler(srv, 1<<20),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	// The background work stops with workCtx and is waited for before the
	// store closes: a message sent but not yet marked must not be sent twice.
	workCtx, stopWork := context.WithCancel(ctx)
	var work sync.WaitGroup
	defer work.Wait()
	defer stopWork()
	done := make(chan error, 1)
	go func() { done <- hs.Serve(ln) }()
	if worker != nil {
		work.Go(func() {
			if err := worker.Run(workCtx); err != nil {
				log.Error("outbox worker", "err", err)
			}
		})
	}
	work.Go(func() { purge(workCtx, st, log) })
	reminders := &jobs.Reminders{Store: st, Letters: letters, Log: log, Wake: func() {
		if worker != nil {
			worker.Wake()
		}
	}}
	work.Go(func() {
		if err := reminders.Run(workCtx); err != nil {
			log.Error("reminders job", "err", err)
		}
	})

	// The warnings come before the line that says the portal is up.
	switch {
	case cfg.MailViewer():
		log.Warn("mail viewer on: e-mails are not sent; each one, with its live links, is shown at /courriels to clients on this machine; never on a deployed portal",
			"url", cfg.BaseURL+"/courriels")
	case cfg.SMTP == "":
		log.Warn("no SMTP server: e-mails wait in the outbox, unsent, until the portal is started with --smtp")
	}
	if len(cfg.TrustedProxies) > 0 {
		log.Info("client addresses read from X-Forwarded-For", "trusted_proxies", cfg.TrustedProxies.String())
	}
	fmt.Fprintf(stdout, "iel : portail sur %s (base %s)\n", cfg.BaseURL, st.Engine())
	if cfg.MailViewer() {
		fmt.Fprintf(stdout, "iel : démonstration : les courriels ne sont pas envoyés ; ils sont visibles sur %s/courriels\n", cfg.BaseURL)
	}

	select {
	case <-ctx.Done():
	case err := <-done:
		if err != nil && !errors.Is(err, http.ErrServerClosed) {
			return err
		}
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return hs.Shutdown(shutdown)
}

// purge removes dead sessions and links every ten minutes.
func purge(ctx context.Context, st *store.Store, log *slog.Logger) {
	t := time.NewTicker(10 * time.Minute)
	defer t.Stop()
	for {
		if err := st.PurgeExpired(ctx); err != nil && ctx.Err() == nil {
			log.Error("purge", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// migrate handles "iel migrate": opening the store applies the migrations.
func migrate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := config.Parse("iel migrate", args, getenv, stderr)
	if err != nil {
		return err
	}
	st, err := store.Open(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer st.Close()
	fmt.Fprintf(stdout, "iel : base %s à jour\n", st.Engine())
	return nil
}
