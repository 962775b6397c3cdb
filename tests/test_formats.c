/*
 * test_formats.c - the batch report formats (text, CSV, HTML, OpenMetrics,
 * and Markdown where they share rules) from a hand-built ring whose names
 * are hostile: a process called `"; <script> | \ \n` with a secret in its
 * arguments, a disk, an interface and a mount point full of quotes,
 * commas, markup and wide characters, each put through text_sanitize() as
 * a source does.  Checked: CSV parses back (a small RFC 4180 reader) to
 * the same number of fields in every row, with empty cells for what was
 * not measured or absent; HTML has no '<' that does not open one of its
 * own tags, its tags balance and every chart is there; every OpenMetrics
 * line matches the exposition grammar, no series repeats and the values
 * are the moment's; text has no escape byte and keeps its columns aligned
 * across wide characters; --redact hides arguments and the host in every
 * format; an older moment (age > 0) drops the newer samples and shows
 * that moment's processes; an empty ring gives valid output; and the
 * fixed ring renders byte for byte as tests/fixtures/golden/ring.* (set
 * PERFTOP_GOLDEN_REGEN=DIR to write those files instead).
 */
#include <config.h>

#include <check.h>
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alerts.h"
#include "analysis.h"
#include "conf.h"
#include "export.h"
#include "redact.h"
#include "ring.h"
#include "sample.h"
#include "sanitize.h"

#define NSAMPLES	4
#define T0		1718000000.0

/* Hostile text as the machine could hand it over, before sanitizing. */
static const char hostile_comm[] = "\"; <script> | \\ \n";
static const char hostile_cmd[] = "/usr/bin/evil --password=secret "
    "\"<b>\" 'x' a,b | \\ \x1b[31m \xe2\x80\xae" "rtl";
static const char hostile_disk[] = "sd\"a,<b>|\\";
static const char hostile_net[] = "\xe7\xbd\x91\xe5\x8d\xa1" "0,\"x\"";
static const char hostile_mount[] = "/mnt/a b,\"c\"<x>\n";
static const char wide_user[] = "\xe7\x94\xa8\xe6\x88\xb7";	/* 用户 */

static struct config	 cfg;

struct fixture {
	struct ring	*ring;
	struct alerts	*alerts;
	struct analysis	 an;
};

static void
host_fill(struct host *h)
{
	memset(h, 0, sizeof *h);
	strcpy(h->hostname, "test-host_1");
	strcpy(h->kernel, "6.1.0-test");
	strcpy(h->os, "Debian GNU/Linux 12 (bookworm)");
	strcpy(h->arch, "x86_64");
	h->cpus = 2;
	h->boot_time = 1700000000;
	h->mem_total_bytes = 8e9;
}

static void
proc_push(struct proctab *t, int pid, double cpu, const char *user,
    const char *comm, const char *cmd)
{
	struct proc	 p;
	char		 buf[CMDLINE_MAX], ubuf[NAME_MAX_USER], cbuf[NAME_MAX_COMM];

	memset(&p, 0, sizeof p);
	p.pid = pid;
	p.ppid = 1;
	p.nlwp = 1;
	p.state = 'R';
	/* What a source does: sanitize every string at ingest. */
	text_sanitize_str(ubuf, sizeof ubuf, user);
	text_sanitize_str(cbuf, sizeof cbuf, comm);
	p.user = ubuf;
	p.comm = cbuf;
	text_sanitize_str(buf, sizeof buf, cmd);
	p.start_time = 1700000100;
	p.cpu_pct = cpu;
	p.rss_bytes = 1048576.0 * pid;
	p.read_bps = FIG_NA;
	p.write_bps = 512;
	ck_assert_ptr_nonnull(proctab_add(t, &p, buf, CMDLINE_MAX));
	t->total = t->n;
}

/* Sample i of the ring: a CPU-bound machine with hostile device names. */
static void
sample_fill(struct sample *s, int i)
{
	int	 c;
	char	 nb[NAME_MAX_MOUNT];

	sample_reset(s);
	s->seq = (uint64_t)i + 1;
	s->t = T0 + i;
	s->dt = i == 0 ? FIG_NA : 1.0;
	s->cpu.busy = 95 + i;
	s->cpu.user = 80;
	s->cpu.system = 15 + i;
	s->cpu.iowait = 0.5;
	s->cpu.steal = FIG_NA;
	s->cpu.idle = 100 - s->cpu.busy - 0.5;
	ck_assert_int_eq(sample_reserve_cpus(s, 2), 0);
	s->ncpu = 2;
	for (c = 0; c < 2; c++)
		s->per_cpu[c] = s->cpu;
	s->load[0] = 2.5 + i * 0.25;
	s->load[1] = 1.5;
	s->load[2] = 0.75;
	s->procs_running = 3;
	s->procs_blocked = 0;
	s->ctxsw_ps = 1234.5;
	s->intr_ps = 500;
	s->forks_ps = 3;
	s->mem.total_bytes = 8e9;
	s->mem.used_bytes = 4e9 + i * 1e6;
	s->mem.used_pct = 100 * s->mem.used_bytes / 8e9;
	s->mem.available_bytes = 8e9 - s->mem.used_bytes;
	s->mem.cached_bytes = 1e9;
	s->mem.free_bytes = 2e9;
	s->mem.swap_total_bytes = 0;
	s->mem.swap_used_bytes = 0;
	s->mem.swapin_ps = 0;
	s->mem.swapout_ps = 0;
	s->mem.majflt_ps = 0.25;
	s->mem.oom_kills = 0;
	s->mem.oom_kills_total = 7;
	s->psi[PSI_CPU].some_avg10 = 12.5;
	s->psi[PSI_CPU].some_total_us = 1e6 * (10 + i);
	s->psi[PSI_IO].some_avg10 = 0.5;
	s->psi[PSI_IO].full_avg10 = 0.25;
	s->psi[PSI_IO].some_total_us = 99;
	s->psi[PSI_IO].full_total_us = 42;

	/* The hostile disk is missing from sample 1: an empty CSV cell. */
	ck_assert_int_eq(sample_reserve_disks(s, 2), 0);
	s->ndisk = 0;
	if (i != 1) {
		struct disk_figs *d = &s->disks[s->ndisk++];
		text_sanitize_str(nb, sizeof nb, hostile_disk);
		rstr_set(&d->name, nb);
		d->read_bps = 4096;
		d->write_bps = 8192 * (i + 1);
		d->read_iops = 1;
		d->write_iops = 2;
		d->util_pct = 12.5;
		d->await_ms = 1.5;
		d->queue = 0.1;
		d->inflight = 0;
	}
	{
		struct disk_figs *d = &s->disks[s->ndisk++];
		rstr_set(&d->name, "vda");
		d->read_bps = 0;
		d->write_bps = 1e6;
		d->read_iops = 0;
		d->write_iops = 10;
		d->util_pct = 5;
		d->await_ms = FIG_NA;
		d->queue = 0.01;
		d->inflight = 0;
	}

	ck_assert_int_eq(sample_reserve_nets(s, 1), 0);
	s->nnet = 1;
	text_sanitize_str(nb, sizeof nb, hostile_net);
	rstr_set(&s->nets[0].name, nb);
	s->nets[0].rx_bps = 1000 * (i + 1);
	s->nets[0].tx_bps = 500;
	s->nets[0].rx_pps = s->nets[0].tx_pps = 10;
	s->nets[0].rx_errors_ps = s->nets[0].tx_errors_ps = 0;
	s->nets[0].rx_drops_ps = s->nets[0].tx_drops_ps = 0;
	s->nets[0].speed_bps = 125e6;
	s->nets[0].up = 1;

	ck_assert_int_eq(sample_reserve_fs(s, 1), 0);
	s->nfs = 1;
	text_sanitize_str(nb, sizeof nb, hostile_mount);
	rstr_set(&s->fs[0].mount, nb);
	rstr_set(&s->fs[0].device, "/dev/vda1");
	rstr_set(&s->fs[0].fstype, "ext4");
	s->fs[0].size_bytes = 1e11;
	s->fs[0].used_bytes = 4e10;
	s->fs[0].avail_bytes = 5e10;
	s->fs[0].used_pct = 44.444444;
}

/*
 * A ring of NSAMPLES samples.  The full table (newest sample) holds
 * "fullonly"; sample NSAMPLES-2's top list holds "oldtop" instead, so a
 * report of that moment (age 1) shows its own processes.
 */
static void
fixture_make(struct fixture *fx)
{
	struct host	 h;
	struct sample	 s = { 0 };
	struct proctab	 full = { 0 };
	int		 i;

	host_fill(&h);
	fx->ring = ring_create(16, &h);
	fx->alerts = alerts_create(&cfg.th);
	for (i = 0; i < NSAMPLES; i++) {
		sample_fill(&s, i);
		proctab_clear(&full);
		proc_push(&full, 20, 150.0, "root", hostile_comm, hostile_cmd);
		proc_push(&full, 31, 20.0, wide_user, "low", "low --x");
		proc_push(&full, 5, FIG_NA, "us|er", "tie", "");
		proc_push(&full, 7, 1.0, "root",
		    i == NSAMPLES - 2 ? "oldtop" : "fullonly", "sleep 1");
		ck_assert_int_eq(proctab_top(&s.top, &full, SAMPLE_TOP_K,
		    SAMPLE_TOP_MEM, NULL), 0);
		ring_push(fx->ring, &s, &full);
		ring_lock(fx->ring);
		alerts_feed(fx->alerts, ring_get(fx->ring, 0), 2);
		ring_unlock(fx->ring);
	}
	sample_done(&s);
	proctab_done(&full);
	analysis_init(&fx->an);
	ring_lock(fx->ring);
	ck_assert_int_eq(analysis_run(&fx->an, fx->ring, 0, &cfg.th, NULL), 0);
	ring_unlock(fx->ring);
}

static void
fixture_free(struct fixture *fx)
{
	analysis_done(&fx->an);
	alerts_free(fx->alerts);
	ring_free(fx->ring);
}

static struct report
report_of(struct fixture *fx)
{
	struct report	 rp;

	memset(&rp, 0, sizeof rp);
	rp.ring = fx->ring;
	rp.cfg = &cfg;
	rp.an = &fx->an;
	rp.alerts = fx->alerts;
	return rp;
}

/* The report in a format, as a new string. */
static char *
render(enum export_format fmt, const struct report *rp, struct ring *r)
{
	char	*buf = NULL, *cause = NULL;
	size_t	 len = 0;
	FILE	*f;
	int	 rc;

	f = open_memstream(&buf, &len);
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_eq(rp->ring, r);
	ring_lock(r);
	rc = export_write(f, fmt, rp, &cause);
	ring_unlock(r);
	ck_assert_msg(rc == 0, "export %s failed: %s", export_format_name(fmt),
	    cause != NULL ? cause : "?");
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_uint_eq(strlen(buf), len);	/* no NUL inside */
	return buf;
}

static void
setup(void)
{
	conf_defaults(&cfg);
	cfg.interval_s = 1;
}

static int
count_lines(const char *s)
{
	int	 n = 0;

	for (; *s != '\0'; s++)
		n += *s == '\n';
	return n;
}

/* ---- a tiny RFC 4180 reader -------------------------------------------- */

struct csv {
	int	  nrows;
	int	  nfields[64];
	char	 *cell[64][256];
};

/*
 * Parse s into rows of fields: quoted fields may hold commas, quotes
 * (doubled) and line ends; a row ends at LF (CRLF accepted).  Returns 0,
 * or -1 on a malformed field (a quote inside an unquoted field, text
 * after a closing quote, an unterminated quote).
 */
static int
csv_parse(const char *s, struct csv *c)
{
	char	 field[4096];
	size_t	 n;
	int	 r = 0, k = 0;

	memset(c, 0, sizeof *c);
	while (*s != '\0') {
		n = 0;
		if (*s == '"') {
			for (s++;; s++) {
				if (*s == '\0')
					return -1;
				if (*s == '"' && s[1] == '"') {
					field[n++] = '"';
					s++;
				} else if (*s == '"') {
					s++;
					break;
				} else
					field[n++] = *s;
			}
			if (*s != ',' && *s != '\n' && *s != '\r' && *s != '\0')
				return -1;
		} else {
			for (; *s != ',' && *s != '\n' && *s != '\r' &&
			    *s != '\0'; s++) {
				if (*s == '"')
					return -1;
				field[n++] = *s;
			}
		}
		field[n] = '\0';
		ck_assert(r < 64 && k < 256);
		c->cell[r][k++] = strdup(field);
		if (*s == ',') {
			s++;
			continue;
		}
		if (*s == '\r')
			s++;
		if (*s == '\n')
			s++;
		c->nfields[r++] = k;
		k = 0;
	}
	c->nrows = r;
	return 0;
}

static void
csv_free(struct csv *c)
{
	int	 r, k;

	for (r = 0; r < c->nrows; r++)
		for (k = 0; k < c->nfields[r]; k++)
			free(c->cell[r][k]);
}

static int
csv_col(const struct csv *c, const char *name)
{
	int	 k;

	for (k = 0; k < c->nfields[0]; k++)
		if (strcmp(c->cell[0][k], name) == 0)
			return k;
	return -1;
}

/* ---- tests -------------------------------------------------------------- */

START_TEST(format_names)
{
	static const struct {
		const char		*name;
		enum export_format	 fmt;
	} v[] = {
		{ "markdown", EXPORT_MARKDOWN }, { "md", EXPORT_MARKDOWN },
		{ "json", EXPORT_JSON }, { "text", EXPORT_TEXT },
		{ "csv", EXPORT_CSV }, { "html", EXPORT_HTML },
		{ "openmetrics", EXPORT_OPENMETRICS },
		{ "om", EXPORT_OPENMETRICS },
	};
	size_t	 i;

	for (i = 0; i < sizeof v / sizeof v[0]; i++)
		ck_assert_int_eq(export_format_parse(v[i].name), (int)v[i].fmt);
	ck_assert_int_eq(export_format_parse("prom"), -1);
	ck_assert_int_eq(export_format_parse("TEXT"), -1);
	ck_assert_int_eq(export_format_parse(NULL), -1);
	ck_assert_str_eq(export_format_name(EXPORT_TEXT), "text");
	ck_assert_str_eq(export_format_name(EXPORT_CSV), "csv");
	ck_assert_str_eq(export_format_name(EXPORT_HTML), "html");
	ck_assert_str_eq(export_format_name(EXPORT_OPENMETRICS),
	    "openmetrics");
	ck_assert_int_eq(export_default_mode(EXPORT_OPENMETRICS), 0644);
	ck_assert_int_eq(export_default_mode(EXPORT_MARKDOWN), 0600);
	ck_assert_int_eq(export_default_mode(EXPORT_JSON), 0600);
	ck_assert_int_eq(export_default_mode(EXPORT_HTML), 0600);
	ck_assert_int_eq(export_default_mode(EXPORT_CSV), 0600);
	ck_assert_int_eq(export_default_mode(EXPORT_TEXT), 0600);
}
END_TEST

START_TEST(csv_parses_back)
{
	struct fixture	 fx;
	struct report	 rp;
	struct csv	 c;
	char		*out, name[64];
	const char	*p;
	int		 r, k, col;

	fixture_make(&fx);
	rp = report_of(&fx);
	out = render(EXPORT_CSV, &rp, fx.ring);
	ck_assert_msg(strchr(out, '\r') == NULL, "CSV lines end in LF only");
	ck_assert_int_eq(csv_parse(out, &c), 0);
	ck_assert_int_eq(c.nrows, NSAMPLES + 1);
	for (r = 1; r < c.nrows; r++)
		ck_assert_int_eq(c.nfields[r], c.nfields[0]);
	/* Column names: letters, digits and '_', each once. */
	for (k = 0; k < c.nfields[0]; k++) {
		for (p = c.cell[0][k]; *p != '\0'; p++)
			ck_assert_msg(strchr("abcdefghijklmnopqrstuvwxyz"
			    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_", *p) !=
			    NULL, "bad column name %s", c.cell[0][k]);
		ck_assert_int_eq(csv_col(&c, c.cell[0][k]), k);
	}
	ck_assert_str_eq(c.cell[0][0], "t");
	ck_assert_str_eq(c.cell[0][1], "time_utc");
	ck_assert_str_eq(c.cell[1][1], "2024-06-10T06:13:20Z");
	ck_assert_str_eq(c.cell[1][0], "1718000000");
	ck_assert_str_eq(c.cell[4][0], "1718000003");
	/* Figures, NAN as an empty cell, a measured zero as 0. */
	ck_assert_str_eq(c.cell[1][csv_col(&c, "cpu_busy_pct")], "95");
	ck_assert_str_eq(c.cell[1][csv_col(&c, "dt_s")], "");
	ck_assert_str_eq(c.cell[2][csv_col(&c, "dt_s")], "1");
	ck_assert_str_eq(c.cell[1][csv_col(&c, "cpu_steal_pct")], "");
	ck_assert_str_eq(c.cell[1][csv_col(&c, "swap_used_bytes")], "0");
	ck_assert_str_eq(c.cell[1][csv_col(&c, "mem_total_bytes")],
	    "8000000000");
	ck_assert_str_eq(c.cell[1][csv_col(&c, "load1")], "2.5");
	ck_assert_str_eq(c.cell[1][csv_col(&c, "psi_cpu_some_avg10")],
	    "12.5");
	/* The hostile disk: sanitized, reduced to a column name. */
	text_sanitize_str(name, sizeof name, hostile_disk);
	col = csv_col(&c, "disk_sd_a__b____read_bps");
	ck_assert_msg(col >= 0, "no column for disk %s", name);
	ck_assert_str_eq(c.cell[1][col], "4096");
	ck_assert_str_eq(c.cell[2][col], "");	/* absent from sample 1 */
	ck_assert_str_eq(c.cell[3][col], "4096");
	ck_assert_int_ge(csv_col(&c, "disk_vda_util_pct"), 0);
	ck_assert_str_eq(c.cell[1][csv_col(&c, "disk_vda_await_ms")], "");
	ck_assert_int_ge(csv_col(&c, "net_______0__x__rx_bps"), 0);
	ck_assert_str_eq(c.cell[4][csv_col(&c, "net_______0__x__rx_bps")],
	    "4000");
	ck_assert_int_ge(csv_col(&c, "fs__mnt_a_b__c__x__n_used_pct"), 0);
	csv_free(&c);
	free(out);
	fixture_free(&fx);
}
END_TEST

/* Our own tags: anything else after a '<' came from the data. */
static const char *const html_tags[] = { "!DOCTYPE", "html", "head", "meta",
    "title", "style", "body", "header", "h1", "h2", "p", "main", "section",
    "table", "thead", "tbody", "tr", "th", "td", "code", "strong", "span",
    "ol", "li", "figure", "figcaption", "svg", "rect", "line", "text",
    "path", "circle", "footer", NULL };

static bool
html_known_tag(const char *s)
{
	size_t	 n;
	int	 i;

	if (*s == '/')
		s++;
	n = strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789!DOCTYPE");
	for (i = 0; html_tags[i] != NULL; i++)
		if (strlen(html_tags[i]) == n && strncmp(s, html_tags[i], n) ==
		    0 && (s[n] == ' ' || s[n] == '>' || s[n] == '/'))
			return true;
	return false;
}

static int
count_str(const char *s, const char *needle)
{
	int	 n = 0;

	while ((s = strstr(s, needle)) != NULL) {
		n++;
		s += strlen(needle);
	}
	return n;
}

START_TEST(html_escapes_data)
{
	static const char *const paired[] = { "html", "head", "body",
	    "section", "table", "thead", "tbody", "tr", "td", "th", "code",
	    "figure", "figcaption", "svg", "text", "ol", "li", "p", "h2",
	    "span", "strong", "style", "title", "main", "header", "footer",
	    NULL };
	struct fixture	 fx;
	struct report	 rp;
	char		*out, *style, open[32], close[32];
	const char	*p;
	int		 i, n;

	fixture_make(&fx);
	rp = report_of(&fx);
	out = render(EXPORT_HTML, &rp, fx.ring);
	ck_assert(strncmp(out, "<!DOCTYPE html>\n", 16) == 0);
	/* The CSS may hold '>' but never '<'; skip it. */
	style = strstr(out, "<style>");
	ck_assert_ptr_nonnull(style);
	for (p = out; (p = strchr(p, '<')) != NULL; p++)
		ck_assert_msg(html_known_tag(p + 1), "raw '<' from data: %.40s",
		    p);
	ck_assert_ptr_null(strstr(out, "<script"));
	ck_assert_ptr_null(strstr(out, "<b>"));
	ck_assert_ptr_null(strstr(out, "<x>"));
	ck_assert_ptr_nonnull(strstr(out, "&quot;; &lt;script&gt; | \\ \\n"));
	ck_assert_ptr_nonnull(strstr(out, "&#39;x&#39;"));
	ck_assert_ptr_nonnull(strstr(out, "sd&quot;a,&lt;b&gt;|\\"));
	/* Balanced tags of our own markup. */
	for (i = 0; paired[i] != NULL; i++) {
		snprintf(open, sizeof open, "<%s>", paired[i]);
		snprintf(close, sizeof close, "</%s>", paired[i]);
		n = count_str(out, open);
		snprintf(open, sizeof open, "<%s ", paired[i]);
		n += count_str(out, open);
		ck_assert_msg(n == count_str(out, close), "<%s>: %d opened, "
		    "%d closed", paired[i], n, count_str(out, close));
	}
	/* Five charts, self-contained: no script, no external reference. */
	ck_assert_int_eq(count_str(out, "<svg xmlns="), 5);
	ck_assert_ptr_null(strstr(out, "src="));
	ck_assert_ptr_null(strstr(out, "href="));
	ck_assert_ptr_null(strstr(out, "url("));
	ck_assert_ptr_nonnull(strstr(out, "@media print"));
	ck_assert_ptr_nonnull(strstr(out, "class=\"health status-critical\""));
	free(out);
	fixture_free(&fx);
}
END_TEST

/* One line of the text exposition format, 0.0.4. */
#define OM_NAME		"[a-zA-Z_:][a-zA-Z0-9_:]*"
#define OM_LNAME	"[a-zA-Z_][a-zA-Z0-9_]*"
#define OM_LVALUE	"\"([^\"\\\\\n]|\\\\[\\\\\"n])*\""
#define OM_LABEL	OM_LNAME "=" OM_LVALUE
#define OM_VALUE	"(NaN|[+-]Inf|[-+]?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?)"
static const char om_re[] =
    "^(# HELP " OM_NAME " [^\n]*"
    "|# TYPE " OM_NAME " (counter|gauge|histogram|summary|untyped)"
    "|" OM_NAME "(\\{(" OM_LABEL "(," OM_LABEL ")*)?\\})? " OM_VALUE ")$";

/* The value of the series line that starts with "series ". */
static double
om_value(const char *out, const char *series)
{
	char		 key[512];
	const char	*p = out;

	snprintf(key, sizeof key, "%s ", series);
	while (p != NULL && *p != '\0') {
		if (strncmp(p, key, strlen(key)) == 0)
			return strtod(p + strlen(key), NULL);
		p = strchr(p, '\n');
		if (p != NULL)
			p++;
	}
	return NAN;
}

START_TEST(openmetrics_grammar)
{
	struct fixture	 fx;
	struct report	 rp;
	regex_t		 re;
	char		*out, *copy, *line, *save = NULL, *seen[512], typed[512][96];
	char		 series[1024];
	int		 nseen = 0, ntyped = 0, i, nlines = 0;
	const char	*sp;

	ck_assert_int_eq(regcomp(&re, om_re, REG_EXTENDED | REG_NOSUB), 0);
	fixture_make(&fx);
	rp = report_of(&fx);
	out = render(EXPORT_OPENMETRICS, &rp, fx.ring);
	ck_assert(out[strlen(out) - 1] == '\n');
	copy = strdup(out);
	for (line = strtok_r(copy, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		nlines++;
		ck_assert_msg(regexec(&re, line, 0, NULL, 0) == 0,
		    "not exposition format: %s", line);
		if (strncmp(line, "# TYPE ", 7) == 0) {
			/* Each family is typed once. */
			sp = line + 7;
			for (i = 0; i < ntyped; i++)
				ck_assert_msg(strncmp(typed[i], sp,
				    strcspn(sp, " ")) != 0 || typed[i][
				    strcspn(sp, " ")] != '\0',
				    "family typed twice: %s", line);
			ck_assert(ntyped < 512);
			snprintf(typed[ntyped++], sizeof typed[0], "%.*s",
			    (int)strcspn(sp, " "), sp);
			continue;
		}
		if (line[0] == '#')
			continue;
		/* No series twice; no timestamp (one space only). */
		snprintf(series, sizeof series, "%.*s",
		    (int)(strrchr(line, ' ') - line), line);
		ck_assert_msg(strchr(strrchr(series, '}') != NULL ?
		    strrchr(series, '}') : series, ' ') == NULL,
		    "timestamp or junk: %s", line);
		for (i = 0; i < nseen; i++)
			ck_assert_msg(strcmp(seen[i], series) != 0,
			    "series twice: %s", series);
		ck_assert(nseen < 512);
		seen[nseen++] = strdup(series);
	}
	ck_assert_int_gt(nlines, 50);
	/* The values are the diagnosis and the moment's figures. */
	ck_assert(om_value(out, "perftop_up") == 1);
	ck_assert(om_value(out, "perftop_health_score") ==
	    fx.an.health.score);
	ck_assert(om_value(out, "perftop_health_status") ==
	    fx.an.health.status);
	ck_assert_int_eq(fx.an.health.status, HEALTH_CRITICAL);
	ck_assert(om_value(out, "perftop_report_timestamp_seconds") ==
	    T0 + NSAMPLES - 1);
	ck_assert(om_value(out, "perftop_cpu_busy_ratio") == 0.98);
	ck_assert(om_value(out, "perftop_load1") == 3.25);
	ck_assert(om_value(out, "perftop_memory_used_bytes") == 4003000000.0);
	ck_assert(om_value(out, "perftop_oom_kills_total") == 7);
	ck_assert(om_value(out, "perftop_findings{severity=\"critical\"}") >=
	    1);
	ck_assert(om_value(out,
	    "perftop_pressure_some_ratio{resource=\"cpu\"}") == 0.125);
	ck_assert(isnan(om_value(out,
	    "perftop_disk_await_seconds{device=\"vda\"}")));
	ck_assert(om_value(out, "perftop_disk_await_seconds{device="
	    "\"sd\\\"a,<b>|\\\\\"}") == 0.0015);
	ck_assert(om_value(out, "perftop_filesystem_used_ratio{mountpoint="
	    "\"/mnt/a b,\\\"c\\\"<x>\\\\n\"}") == 0.44444444);
	ck_assert(strstr(out, "perftop_finding{rule=\"cpu.") != NULL);
	ck_assert(strstr(out, "perftop_info{version=\"" PACKAGE_VERSION
	    "\",host=\"test-host_1\"} 1\n") != NULL);
	/* Not measured: left out, not 0. */
	ck_assert_ptr_null(strstr(out, "mode=\"steal\""));
	ck_assert_ptr_null(strstr(out, "NaN"));
	for (i = 0; i < nseen; i++)
		free(seen[i]);
	free(copy);
	free(out);
	regfree(&re);
	fixture_free(&fx);
}
END_TEST

/* The display column where needle starts in line, -1 when absent. */
static int
col_of(const char *line, const char *needle)
{
	const char	*p = strstr(line, needle);
	char		 pre[1024];

	if (p == NULL || (size_t)(p - line) >= sizeof pre)
		return -1;
	memcpy(pre, line, (size_t)(p - line));
	pre[p - line] = '\0';
	return text_width(pre);
}

START_TEST(text_plain_and_aligned)
{
	struct fixture	 fx;
	struct report	 rp;
	char		*out, *copy, *line, *save = NULL, comm[64];
	const unsigned char *p;
	int		 cmdcol = -1, rows = 0, c;

	fixture_make(&fx);
	rp = report_of(&fx);
	out = render(EXPORT_TEXT, &rp, fx.ring);
	for (p = (const unsigned char *)out; *p != '\0'; p++)
		ck_assert_msg(*p >= 0x20 || *p == '\n', "control byte 0x%02x",
		    *p);
	ck_assert_ptr_null(strchr(out, 0x1b));
	ck_assert_ptr_null(strchr(out, 0x7f));
	ck_assert(strstr(out, "perftop report for test-host_1\n") == out);
	ck_assert_ptr_nonnull(strstr(out, "\nHealth\n======\n"));
	ck_assert_ptr_nonnull(strstr(out, "\nFindings\n========\n"));
	ck_assert_ptr_nonnull(strstr(out, "\nAdvice\n======\n"));
	ck_assert_ptr_nonnull(strstr(out, "\nKey figures\n"));
	ck_assert_ptr_nonnull(strstr(out, "\nTop processes\n"));
	ck_assert_ptr_nonnull(strstr(out, "Status CRITICAL (batch exit "
	    "status 2)"));
	/* The process table: every command starts in the same column, the
	 * wide user name included. */
	text_sanitize_str(comm, sizeof comm, hostile_comm);
	copy = strdup(strstr(out, "\nTop processes\n"));
	for (line = strtok_r(copy, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "  PID", 5) == 0) {
			cmdcol = col_of(line, "Command");
			continue;
		}
		if (cmdcol < 0)
			continue;
		if ((c = col_of(line, "low: low --x")) >= 0 ||
		    (c = col_of(line, comm)) >= 0 ||
		    (c = col_of(line, "tie")) >= 0 ||
		    (c = col_of(line, "fullonly")) >= 0) {
			ck_assert_msg(c == cmdcol, "misaligned: %s (%d, %d)",
			    line, c, cmdcol);
			rows++;
		}
	}
	ck_assert_int_gt(cmdcol, 0);
	ck_assert_int_eq(rows, 4);
	ck_assert_ptr_nonnull(strstr(out, wide_user));
	free(copy);
	free(out);
	fixture_free(&fx);
}
END_TEST

/* Every row of a Markdown table has as many unescaped '|' as its header. */
static void
markdown_tables_intact(const char *md)
{
	char	*copy = strdup(md), *line, *save = NULL;
	int	 want = -1, cells, tables = 0;
	const char *p;

	for (line = strtok_r(copy, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (line[0] != '|') {
			want = -1;
			continue;
		}
		for (cells = 0, p = line; *p != '\0'; p++) {
			if (*p == '\\' && p[1] != '\0')
				p++;
			else if (*p == '|')
				cells++;
		}
		if (want < 0) {
			want = cells;
			tables++;
		}
		ck_assert_msg(cells == want, "bad row: %s", line);
	}
	ck_assert_int_ge(tables, 5);
	free(copy);
}

START_TEST(markdown_hostile_intact)
{
	struct fixture	 fx;
	struct report	 rp;
	char		*out;

	fixture_make(&fx);
	rp = report_of(&fx);
	out = render(EXPORT_MARKDOWN, &rp, fx.ring);
	markdown_tables_intact(out);
	ck_assert_ptr_null(strchr(out, 0x1b));
	ck_assert_ptr_nonnull(strstr(out, "fullonly"));
	free(out);
	fixture_free(&fx);
}
END_TEST

START_TEST(redaction_everywhere)
{
	static const enum export_format fmts[] = { EXPORT_MARKDOWN,
	    EXPORT_TEXT, EXPORT_CSV, EXPORT_HTML, EXPORT_OPENMETRICS };
	struct fixture	 fx;
	struct report	 rp;
	char		*out, hash[64];
	size_t		 i;

	fixture_make(&fx);
	rp = report_of(&fx);
	redact_host(hash, sizeof hash, "test-host_1");
	for (i = 0; i < sizeof fmts / sizeof fmts[0]; i++) {
		/* Unredacted, the secrets are there (so the test can fail). */
		rp.redact = false;
		out = render(fmts[i], &rp, fx.ring);
		if (fmts[i] != EXPORT_CSV)
			ck_assert_msg(strstr(out, "test-host_1") != NULL,
			    "%s: no host name", export_format_name(fmts[i]));
		if (fmts[i] != EXPORT_CSV && fmts[i] != EXPORT_OPENMETRICS)
			ck_assert_msg(strstr(out, "secret") != NULL,
			    "%s: no arguments", export_format_name(fmts[i]));
		free(out);

		rp.redact = true;
		out = render(fmts[i], &rp, fx.ring);
		ck_assert_msg(strstr(out, "test-host_1") == NULL,
		    "%s: host name shown", export_format_name(fmts[i]));
		ck_assert_msg(strstr(out, "secret") == NULL,
		    "%s: arguments shown", export_format_name(fmts[i]));
		if (fmts[i] != EXPORT_CSV)
			ck_assert_msg(strstr(out, hash) != NULL,
			    "%s: no host hash", export_format_name(fmts[i]));
		if (fmts[i] != EXPORT_CSV && fmts[i] != EXPORT_OPENMETRICS)
			ck_assert_msg(strstr(out, "/usr/bin/evil \xe2\x80\xa6")
			    != NULL, "%s: program not kept",
			    export_format_name(fmts[i]));
		free(out);
	}
	fixture_free(&fx);
}
END_TEST

START_TEST(age_drops_newer_samples)
{
	static const enum export_format fmts[] = { EXPORT_MARKDOWN,
	    EXPORT_TEXT, EXPORT_HTML };
	struct fixture	 fx;
	struct report	 rp;
	struct analysis	 an;
	struct csv	 c;
	char		*out;
	size_t		 i;

	fixture_make(&fx);
	analysis_init(&an);
	ring_lock(fx.ring);
	ck_assert_int_eq(analysis_run_at(&an, fx.ring, 1, 0, &cfg.th, NULL),
	    0);
	ring_unlock(fx.ring);
	rp = report_of(&fx);
	rp.an = &an;
	rp.age = 1;

	out = render(EXPORT_CSV, &rp, fx.ring);
	ck_assert_int_eq(csv_parse(out, &c), 0);
	ck_assert_int_eq(c.nrows, NSAMPLES);	/* header + 3 samples */
	ck_assert_str_eq(c.cell[c.nrows - 1][0], "1718000002");
	csv_free(&c);
	free(out);

	out = render(EXPORT_OPENMETRICS, &rp, fx.ring);
	ck_assert(om_value(out, "perftop_report_timestamp_seconds") ==
	    T0 + NSAMPLES - 2);
	ck_assert(om_value(out, "perftop_window_samples") == NSAMPLES - 1);
	ck_assert(om_value(out, "perftop_cpu_busy_ratio") == 0.97);
	free(out);

	for (i = 0; i < sizeof fmts / sizeof fmts[0]; i++) {
		out = render(fmts[i], &rp, fx.ring);
		ck_assert_msg(strstr(out, "oldtop") != NULL, "%s: the moment's "
		    "processes missing", export_format_name(fmts[i]));
		ck_assert_msg(strstr(out, "fullonly") == NULL, "%s: newer "
		    "processes shown", export_format_name(fmts[i]));
		ck_assert_msg(strstr(out, "06:13:23") == NULL, "%s: newer "
		    "sample shown", export_format_name(fmts[i]));
		ck_assert_msg(strstr(out, "06:13:22") != NULL, "%s: moment "
		    "missing", export_format_name(fmts[i]));
		free(out);
	}
	/* Too old an age: the oldest sample alone. */
	rp.age = 99;
	out = render(EXPORT_CSV, &rp, fx.ring);
	ck_assert_int_eq(count_lines(out), 2);
	free(out);
	analysis_done(&an);
	fixture_free(&fx);
}
END_TEST

START_TEST(empty_ring)
{
	static const enum export_format fmts[] = { EXPORT_MARKDOWN,
	    EXPORT_TEXT, EXPORT_CSV, EXPORT_HTML, EXPORT_OPENMETRICS };
	struct host	 h;
	struct ring	*r;
	struct report	 rp;
	char		*out;
	size_t		 i;

	host_fill(&h);
	r = ring_create(4, &h);
	memset(&rp, 0, sizeof rp);
	rp.ring = r;
	for (i = 0; i < sizeof fmts / sizeof fmts[0]; i++) {
		out = render(fmts[i], &rp, r);
		ck_assert_uint_gt(strlen(out), 0);
		if (fmts[i] == EXPORT_CSV)
			ck_assert_int_eq(count_lines(out), 1);
		if (fmts[i] == EXPORT_OPENMETRICS) {
			ck_assert(om_value(out, "perftop_health_status") == 3);
			ck_assert(isnan(om_value(out,
			    "perftop_health_score")));
		}
		free(out);
	}
	ring_free(r);
}
END_TEST

/* Compare (or with PERFTOP_GOLDEN_REGEN, write) one golden file. */
static void
golden(const char *name, const char *got)
{
	const char	*regen = getenv("PERFTOP_GOLDEN_REGEN");
	const char	*src = getenv("SRCDIR");
	char		 path[4096], *want;
	size_t		 len, n;
	FILE		*f;

	if (regen != NULL && *regen != '\0') {
		snprintf(path, sizeof path, "%s/%s", regen, name);
		ck_assert_ptr_nonnull(f = fopen(path, "w"));
		ck_assert_int_eq(fputs(got, f) >= 0, 1);
		ck_assert_int_eq(fclose(f), 0);
		return;
	}
	snprintf(path, sizeof path, "%s/tests/fixtures/golden/%s",
	    src != NULL ? src : ".", name);
	f = fopen(path, "r");
	ck_assert_msg(f != NULL, "%s: %s (set SRCDIR to the source tree)",
	    path, strerror(errno));
	len = strlen(got);
	want = malloc(len + 2);
	n = fread(want, 1, len + 1, f);
	fclose(f);
	want[n] = '\0';
	if (n != len || memcmp(want, got, len) != 0) {
		size_t i;
		for (i = 0; i < n && i < len && want[i] == got[i]; i++)
			;
		ck_abort_msg("%s differs at byte %zu: want \"%.60s\", got "
		    "\"%.60s\" (tests/fixtures/golden/regen.sh rewrites it)",
		    path, i, want + i, got + i);
	}
	free(want);
}

START_TEST(golden_files)
{
	static const struct {
		enum export_format	 fmt;
		const char		*name;
	} g[] = {
		{ EXPORT_MARKDOWN, "ring.md" },
		{ EXPORT_TEXT, "ring.txt" },
		{ EXPORT_CSV, "ring.csv" },
		{ EXPORT_HTML, "ring.html" },
		{ EXPORT_OPENMETRICS, "ring.prom" },
	};
	struct fixture	 fx;
	struct report	 rp;
	char		*out;
	size_t		 i;

	fixture_make(&fx);
	rp = report_of(&fx);
	for (i = 0; i < sizeof g / sizeof g[0]; i++) {
		out = render(g[i].fmt, &rp, fx.ring);
		golden(g[i].name, out);
		free(out);
	}
	fixture_free(&fx);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("formats");
	TCase	*tc = tcase_create("formats");
	SRunner	*sr;
	int	 nfailed;

	/* As perftop runs (LC_NUMERIC stays "C"); wide characters need a
	 * UTF-8 LC_CTYPE to have their width. */
	if (setlocale(LC_CTYPE, "C.UTF-8") == NULL)
		fputs("# C.UTF-8 locale missing: wide characters count one "
		    "column and the golden text differs\n", stderr);

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, format_names);
	tcase_add_test(tc, csv_parses_back);
	tcase_add_test(tc, html_escapes_data);
	tcase_add_test(tc, openmetrics_grammar);
	tcase_add_test(tc, text_plain_and_aligned);
	tcase_add_test(tc, markdown_hostile_intact);
	tcase_add_test(tc, redaction_everywhere);
	tcase_add_test(tc, age_drops_newer_samples);
	tcase_add_test(tc, empty_ring);
	tcase_add_test(tc, golden_files);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nfailed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nfailed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
