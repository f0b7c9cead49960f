package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The browser side of the end-to-end tests: a headless Chromium driven by
// chromedp, with axe-core run on every page the tests check.

// chromiumPath returns the browser to drive, or skips the test.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("chromium not found: browser tests skipped")
	return ""
}

// longBrowserTest skips a long browser walk unless IEL_TEST_LONG is set, as
// .ci/run sets it: "go test ./..." keeps a short walk of every area and
// stays within its time, CI walks every flow.
func longBrowserTest(t *testing.T) {
	t.Helper()
	if os.Getenv("IEL_TEST_LONG") == "" {
		t.Skip("long browser walk: set IEL_TEST_LONG=1 to run it (CI does)")
	}
}

// The end-to-end tests share one Chromium: the first test that needs it
// starts it, TestMain stops it. Each test, and each person within a test,
// works in a browser context of its own (cookies, storage, tabs), as
// people on separate computers do, so the tests run side by side in it.
var chromium struct {
	once sync.Once
	ctx  context.Context // the browser's chromedp context
	stop func()
	axe  string // axe-core, injected into each page checked
	err  error
}

// sharedChromium returns the shared browser's context, starting it on
// first use; it skips the test when there is no Chromium.
func sharedChromium(t *testing.T) context.Context {
	t.Helper()
	exe := chromiumPath(t)
	chromium.once.Do(func() { chromium.err = startChromium(exe) })
	if chromium.err != nil {
		t.Fatalf("start %s: %v", exe, chromium.err)
	}
	return chromium.ctx
}

func startChromium(exe string) error {
	axe, err := os.ReadFile(filepath.Join("testdata", "axe.min.js"))
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "iel-chromium-")
	if err != nil {
		return err
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.WindowSize(1280, 1024),
		chromedp.UserDataDir(dir),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	stop := func() { cancel(); cancelAlloc(); os.RemoveAll(dir) }
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		stop()
		return err
	}
	chromium.ctx, chromium.stop, chromium.axe = ctx, stop, string(axe)
	return nil
}

// TestMain stops the shared Chromium once every test is done.
func TestMain(m *testing.M) {
	code := m.Run()
	if chromium.stop != nil {
		chromium.stop()
	}
	os.Exit(code)
}

// browser is one tab of the shared Chromium on the portal, in a browser
// context of its own.
type browser struct {
	t    *testing.T
	ctx  context.Context
	base string
	axe  string
}

// newBrowser opens, for the test, a new browser context of the shared
// Chromium, given e2eTimeout to live; it closes with the test.
func newBrowser(t *testing.T, base string) *browser {
	t.Helper()
	ctx, cancel := context.WithTimeout(sharedChromium(t), e2eTimeout)
	tabCtx, cancelTab := chromedp.NewContext(ctx, chromedp.WithNewBrowserContext())
	t.Cleanup(func() { cancelTab(); cancel() })
	if err := chromedp.Do(tabCtx, chromedp.EmulateViewport(1280, 1024)); err != nil {
		t.Fatalf("new browser context: %v", err)
	}
	return &browser{t: t, ctx: tabCtx, base: base, axe: chromium.axe}
}

// do runs steps within stepTimeout.
func (b *browser) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// load runs steps that load a page, and returns the HTTP status of the page.
func (b *browser) load(what string, steps ...chromedp.Action[chromedp.Void]) int64 {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, steps...)
	if err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
	if resp == nil {
		b.t.Fatalf("%s: no response", what)
	}
	return resp.Status
}

// open navigates to url (a path of the portal, or a full URL).
func (b *browser) open(url string) int64 {
	b.t.Helper()
	if strings.HasPrefix(url, "/") {
		url = b.base + url
	}
	return b.load("open "+url, chromedp.Navigate(url))
}

// submit clicks the button matching css and waits for the next page.
func (b *browser) submit(css string) int64 {
	b.t.Helper()
	return b.load("click "+css, chromedp.Click(chromedp.CSS(css)))
}

// fill replaces the value of the input with this id by typing text.
func (b *browser) fill(id, text string) {
	b.t.Helper()
	b.eval(fmt.Sprintf(`document.getElementById(%s).value = ""`, jsString(id)), nil)
	if text == "" {
		return
	}
	b.do("type into #"+id, chromedp.SendKeys(chromedp.ID(id), text))
}

// choose clicks the label of the radio button with this id.
func (b *browser) choose(id string) {
	b.t.Helper()
	b.do("choose #"+id, chromedp.Click(chromedp.CSS(fmt.Sprintf(`label[for=%q]`, id))))
	var checked bool
	b.eval(fmt.Sprintf(`document.getElementById(%s).checked`, jsString(id)), &checked)
	if !checked {
		b.t.Fatalf("#%s is not checked after a click on its label", id)
	}
}

// eval evaluates expr in the page; it decodes the result into out unless out is nil.
func (b *browser) eval(expr string, out any, opts ...chromedp.EvaluateOption) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](expr, opts...))
	if err != nil {
		b.t.Fatalf("evaluate %.80q: %v", expr, err)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			b.t.Fatalf("evaluate %.80q: decode %s: %v", expr, raw, err)
		}
	}
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// text returns the visible text of the first element matching css, and
// whether there is one; it does not wait.
func (b *browser) text(css string) (string, bool) {
	b.t.Helper()
	var s *string
	b.eval(fmt.Sprintf(`(e => e ? e.innerText : null)(document.querySelector(%s))`, jsString(css)), &s)
	if s == nil {
		return "", false
	}
	return strings.Join(strings.Fields(*s), " "), true
}

// value returns the value of the input with this id.
func (b *browser) value(id string) string {
	b.t.Helper()
	var s *string
	b.eval(fmt.Sprintf(`(e => e ? e.value : null)(document.getElementById(%s))`, jsString(id)), &s)
	if s == nil {
		b.t.Fatalf("no input #%s on %s", id, b.location())
	}
	return *s
}

func (b *browser) location() string {
	b.t.Helper()
	var s string
	b.eval(`location.href`, &s)
	return s
}

// path returns the path and query of the current page.
func (b *browser) path() string {
	b.t.Helper()
	return strings.TrimPrefix(b.location(), b.base)
}

// wantText fails unless the element matching css shows want.
func (b *browser) wantText(css, want string) {
	b.t.Helper()
	got, ok := b.text(css)
	switch {
	case !ok:
		b.t.Fatalf("%s: no %s, want one showing %q\npage: %s", b.path(), css, want, b.bodyText())
	case !strings.Contains(got, want):
		b.t.Fatalf("%s: %s shows %q, want %q", b.path(), css, got, want)
	}
}

// wantNo fails if an element matches css.
func (b *browser) wantNo(css string) {
	b.t.Helper()
	if got, ok := b.text(css); ok {
		b.t.Fatalf("%s: unexpected %s showing %q", b.path(), css, got)
	}
}

func (b *browser) bodyText() string {
	s, _ := b.text("body")
	return s
}

// wantPage checks the page's status, path and heading, then its accessibility.
func (b *browser) wantPage(status, wantStatus int64, path, h1 string) {
	b.t.Helper()
	b.wantPlainPage(status, wantStatus, path, h1)
	b.checkA11y()
}

type axeNode struct {
	Target  []string `json:"target"`
	HTML    string   `json:"html"`
	Summary string   `json:"summary"`
}

type axeViolation struct {
	ID     string    `json:"id"`
	Impact string    `json:"impact"`
	Help   string    `json:"help"`
	Nodes  []axeNode `json:"nodes"`
}

// axeRun runs axe-core on the page for WCAG 2.0 and 2.1, levels A and AA,
// and keeps what a failure report needs. Only the violations are described
// node by node (resultTypes): the report reads nothing else, and axe spends
// less time on each of the pages the tests check.
const axeRun = `axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}, resultTypes: ['violations']})
	.then(r => r.violations.map(v => ({
		id: v.id, impact: v.impact || '', help: v.help,
		nodes: v.nodes.map(n => ({
			target: n.target.map(s => typeof s === 'string' ? s : JSON.stringify(s)),
			html: n.html, summary: n.failureSummary || ''
		}))
	})))`

// checkA11y injects axe-core through the DevTools protocol (the portal's
// CSP forbids inline script, not protocol evaluation) and fails the test
// listing every violation.
func (b *browser) checkA11y() {
	b.t.Helper()
	b.eval(b.axe, nil)
	var violations []axeViolation
	b.eval(axeRun, &violations, chromedp.EvalAwaitPromise)
	if len(violations) == 0 {
		return
	}
	var sb strings.Builder
	for _, v := range violations {
		fmt.Fprintf(&sb, "\n  %s (%s): %s", v.ID, v.Impact, v.Help)
		for _, n := range v.Nodes {
			fmt.Fprintf(&sb, "\n    %s %s\n      %s", strings.Join(n.Target, " "), n.HTML, strings.ReplaceAll(n.Summary, "\n", "\n      "))
		}
	}
	b.t.Errorf("%s: %d accessibility violation(s):%s", b.path(), len(violations), sb.String())
}

// screenshotOnFailure saves a PNG of the page when the test fails, in the
// test's artifact directory: a temporary one, kept with "go test -artifacts".
func (b *browser) screenshotOnFailure(name string) {
	b.t.Cleanup(func() {
		if !b.t.Failed() {
			return
		}
		ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
		defer cancel()
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // quality 100: PNG
		if err != nil {
			b.t.Logf("screenshot: %v", err)
			return
		}
		file := filepath.Join(b.t.ArtifactDir(), name)
		if err := os.WriteFile(file, png, 0o644); err != nil {
			b.t.Logf("screenshot: %v", err)
			return
		}
		b.t.Logf("screenshot of %s: %s (kept with go test -artifacts)", b.location(), file)
	})
}
