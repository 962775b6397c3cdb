/*
 * test_ring.c - the bounded history: order, eviction, buffer reuse (no
 * allocation per tick once warm), the full table hand-off, top lists, and
 * a reader that always sees a consistent sample while a writer pushes.
 */
#include <config.h>

#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ring.h"
#include "sample.h"

static void
fill(struct sample *s, uint64_t seq, int ncpu)
{
	int	 i;

	sample_reset(s);
	s->seq = seq;
	s->t = 1000.0 + (double)seq;
	s->cpu.busy = (double)(seq % 100);
	ck_assert_int_eq(sample_reserve_cpus(s, ncpu), 0);
	s->ncpu = ncpu;
	for (i = 0; i < ncpu; i++) {
		cpu_figs_na(&s->per_cpu[i]);
		s->per_cpu[i].busy = (double)seq;	/* all equal to seq */
	}
}

START_TEST(empty_ring)
{
	struct ring	*r = ring_create(4, NULL);

	ring_lock(r);
	ck_assert_int_eq(ring_len(r), 0);
	ck_assert_ptr_null(ring_get(r, 0));
	ck_assert_int_eq(ring_full(r)->n, 0);
	ck_assert_uint_eq(ring_generation(r), 0);
	ring_unlock(r);
	ring_free(r);
}
END_TEST

START_TEST(order_and_eviction)
{
	struct ring	*r = ring_create(3, NULL);
	struct sample	 s = { 0 };
	uint64_t	 i;

	for (i = 1; i <= 5; i++) {
		fill(&s, i, 2);
		ring_push(r, &s, NULL);
	}
	ring_lock(r);
	ck_assert_int_eq(ring_len(r), 3);
	ck_assert_int_eq(ring_capacity(r), 3);
	ck_assert_uint_eq(ring_generation(r), 5);
	ck_assert_uint_eq(ring_get(r, 0)->seq, 5);
	ck_assert_uint_eq(ring_get(r, 1)->seq, 4);
	ck_assert_uint_eq(ring_get(r, 2)->seq, 3);
	ck_assert_ptr_null(ring_get(r, 3));
	ck_assert_ptr_null(ring_get(r, -1));
	ring_unlock(r);
	/* What came back is the evicted slot's buffers, reusable. */
	ck_assert_uint_eq(s.seq, 2);
	sample_done(&s);
	ring_free(r);
}
END_TEST

START_TEST(no_allocation_once_warm)
{
	struct ring	*r = ring_create(8, NULL);
	struct sample	 s = { 0 };
	const void	*seen[16];
	int		 nseen = 0, i, j, known;

	/* After the ring is full, the buffers cycle among a fixed set. */
	for (i = 0; i < 64; i++) {
		fill(&s, (uint64_t)i + 1, 4);
		if (i >= 16) {
			known = 0;
			for (j = 0; j < nseen; j++)
				known |= seen[j] == (const void *)s.per_cpu;
			ck_assert_msg(known, "new per-cpu buffer at tick %d", i);
		} else if (nseen < 16)
			seen[nseen++] = s.per_cpu;
		ring_push(r, &s, NULL);
	}
	sample_done(&s);
	ring_free(r);
}
END_TEST

START_TEST(full_table_handoff)
{
	struct ring	*r = ring_create(2, NULL);
	struct sample	 s = { 0 };
	struct proctab	 t = { 0 };
	struct proc	 p = { 0 };

	fill(&s, 1, 1);
	p.pid = 42;
	p.comm = "answer";
	p.cpu_pct = 12.5;
	ck_assert_ptr_nonnull(proctab_add(&t, &p, "answer --all", CMDLINE_MAX));
	ring_push(r, &s, &t);
	ck_assert_int_eq(t.n, 0);	/* we got the old (empty) table back */
	ring_lock(r);
	ck_assert_int_eq(ring_full(r)->n, 1);
	ck_assert_int_eq(ring_full(r)->v[0].pid, 42);
	ck_assert_str_eq(proc_cmdline(ring_full(r), &ring_full(r)->v[0]),
	    "answer --all");
	ring_unlock(r);
	proctab_done(&t);
	sample_done(&s);
	ring_free(r);
}
END_TEST

START_TEST(proctab_cmdline_cut_at_char)
{
	struct proctab	 t = { 0 };
	struct proc	 p = { 0 }, *row;

	/* "ab" + U+65E5 (3 bytes): a 4-byte limit keeps "ab" only. */
	row = proctab_add(&t, &p, "ab\xe6\x97\xa5", 5);
	ck_assert_ptr_nonnull(row);
	ck_assert_str_eq(proc_cmdline(&t, row), "ab");
	row = proctab_add(&t, &p, NULL, 5);
	ck_assert_str_eq(proc_cmdline(&t, row), "");
	proctab_done(&t);
}
END_TEST

START_TEST(top_is_union_of_keys)
{
	struct proctab	 full = { 0 }, top = { 0 };
	struct proc	 p;
	int		 i, has_mem = 0, has_io = 0;

	for (i = 1; i <= 100; i++) {
		memset(&p, 0, sizeof p);
		p.pid = i;
		p.cpu_pct = i <= 50 ? (double)i : FIG_NA;
		p.rss_bytes = (i == 7) ? 1e12 : (double)i;
		p.read_bps = (i == 3) ? 1e9 : FIG_NA;
		p.write_bps = FIG_NA;
		ck_assert_ptr_nonnull(proctab_add(&full, &p, "x", CMDLINE_MAX));
	}
	full.total = 100;
	ck_assert_int_eq(proctab_top(&top, &full, 5, 5, NULL), 0);
	/* Top 5 by CPU (50..46), by RSS (7, 100..97), by I/O (3). */
	ck_assert_int_eq(top.v[0].pid, 50);
	ck_assert_int_eq(top.total, 100);
	for (i = 0; i < top.n; i++) {
		has_mem |= top.v[i].pid == 7;
		has_io |= top.v[i].pid == 3;
	}
	ck_assert(has_mem && has_io);
	ck_assert_int_eq(top.n, 5 + 5 + 1);
	proctab_done(&full);
	proctab_done(&top);
}
END_TEST

START_TEST(sort_nan_last)
{
	struct proctab	 t = { 0 };
	struct proc	 p = { 0 };
	double		 cpu[] = { 5, FIG_NA, 50, 0, FIG_NA, 20 };
	char		 cb[NAME_MAX_COMM];
	int		 i;

	for (i = 0; i < 6; i++) {
		p.pid = 10 - i;
		p.cpu_pct = cpu[i];
		snprintf(cb, sizeof cb, "c%d", i);
		p.comm = cb;
		proctab_add(&t, &p, cb, CMDLINE_MAX);
	}
	proctab_sort(&t, SORT_CPU, false);
	ck_assert(t.v[0].cpu_pct == 50 && t.v[3].cpu_pct == 0);
	ck_assert(!FIG_OK(t.v[4].cpu_pct) && !FIG_OK(t.v[5].cpu_pct));
	ck_assert_int_lt(t.v[4].pid, t.v[5].pid);
	/* Rows keep their own command lines through the sort. */
	for (i = 0; i < 6; i++)
		ck_assert_str_eq(proc_cmdline(&t, &t.v[i]), t.v[i].comm);
	proctab_sort(&t, SORT_PID, false);
	ck_assert_int_eq(t.v[0].pid, 5);
	proctab_sort(&t, SORT_PID, true);
	ck_assert_int_eq(t.v[0].pid, 10);
	proctab_done(&t);
}
END_TEST

/* A writer pushes while a reader checks that every sample it sees under
 * the lock is whole: every per-cpu value equals its sample's seq. */
static struct ring *shared;

static void *
writer(void *arg)
{
	struct sample	 s = { 0 };
	uint64_t	 i;

	(void)arg;
	for (i = 1; i <= 3000; i++) {
		fill(&s, i, 1 + (int)(i % 7));
		ring_push(shared, &s, NULL);
		nanosleep(&(struct timespec){ 0, 10000 }, NULL);
	}
	sample_done(&s);
	return NULL;
}

START_TEST(consistent_reader)
{
	pthread_t		 th;
	const struct sample	*s;
	uint64_t		 last = 0;
	int			 age, i, done = 0, frames = 0;

	shared = ring_create(16, NULL);
	pthread_create(&th, NULL, writer, NULL);
	while (!done) {
		ring_lock(shared);
		for (age = 0; (s = ring_get(shared, age)) != NULL; age++) {
			ck_assert_int_eq(s->ncpu, 1 + (int)(s->seq % 7));
			for (i = 0; i < s->ncpu; i++)
				ck_assert(s->per_cpu[i].busy == (double)s->seq);
			if (age > 0)
				ck_assert_uint_eq(s->seq,
				    ring_get(shared, age - 1)->seq - 1);
		}
		if ((s = ring_get(shared, 0)) != NULL) {
			ck_assert_uint_ge(s->seq, last);
			last = s->seq;
			done = s->seq == 3000;
		}
		frames++;
		ring_unlock(shared);
		/* Readers hold the lock for a frame, then sleep: so does this
		 * one, or an unfair mutex could starve the writer. */
		nanosleep(&(struct timespec){ 0, 20000 }, NULL);
	}
	pthread_join(th, NULL);
	ck_assert_int_gt(frames, 10);	/* the two really interleaved */
	ring_free(shared);
}
END_TEST

/*
 * Names are shared strings: a copy of a sample shares them, a pushed-out
 * sample releases them, and when everything is freed not one is left.
 */
START_TEST(names_shared_and_released)
{
	struct ring	*r = ring_create(3, NULL);
	struct sample	 s = { 0 }, copy = { 0 };
	struct proctab	 t = { 0 };
	struct proc	 p = { 0 };
	const char	*a, *b;
	long		 base = rstr_live();
	int		 i;

	/* An equal string is kept, a different one replaces it. */
	a = rstr_dup("eth0");
	b = a;
	ck_assert_int_eq(rstr_set(&b, "eth0"), 0);
	ck_assert_ptr_eq(b, a);
	ck_assert_int_eq(rstr_set(&b, "eth1"), 0);
	ck_assert_ptr_ne(b, a);
	ck_assert_str_eq(b, "eth1");
	ck_assert_uint_eq(rstr_len(b), 4);
	rstr_unref(b);
	ck_assert_int_eq(rstr_live(), base);	/* a went with it */
	/* The empty string is immortal. */
	rstr_unref(rstr_ref(RSTR_EMPTY));
	ck_assert_str_eq(RSTR_EMPTY, "");

	for (i = 0; i < 10; i++) {
		fill(&s, (uint64_t)i + 1, 1);
		ck_assert_int_eq(sample_reserve_disks(&s, 1), 0);
		s.ndisk = 1;
		rstr_set(&s.disks[0].name, i < 5 ? "sda" : "sdb");
		p.pid = 100 + i;
		p.user = "root";
		p.comm = "worker";
		proctab_clear(&t);
		ck_assert_ptr_nonnull(proctab_add(&t, &p, "worker --all", 0));
		ck_assert_int_eq(proctab_top(&s.top, &t, 4, 4, NULL), 0);
		if (i == 9) {
			sample_reset(&copy);
			ck_assert_int_eq(sample_copy(&copy, &s), 0);
			/* The same strings, not copies of them. */
			ck_assert_ptr_eq(copy.disks[0].name, s.disks[0].name);
			ck_assert_ptr_eq(copy.top.v[0].cmdline,
			    s.top.v[0].cmdline);
		}
		ring_push(r, &s, &t);
	}
	ring_lock(r);
	ck_assert_str_eq(ring_get(r, 0)->disks[0].name, "sdb");
	ck_assert_str_eq(ring_get(r, 0)->top.v[0].comm, "worker");
	ck_assert_int_eq(ring_get(r, 0)->top.v[0].pid, 109);
	ring_unlock(r);
	ring_free(r);
	ck_assert_str_eq(copy.disks[0].name, "sdb");	/* still ours */
	sample_done(&copy);
	sample_done(&s);
	proctab_done(&t);
	ck_assert_int_eq(rstr_live(), base);
}
END_TEST

static Suite *
ring_suite(void)
{
	Suite	*s = suite_create("ring");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, empty_ring);
	tcase_add_test(tc, order_and_eviction);
	tcase_add_test(tc, no_allocation_once_warm);
	tcase_add_test(tc, full_table_handoff);
	tcase_add_test(tc, proctab_cmdline_cut_at_char);
	tcase_add_test(tc, top_is_union_of_keys);
	tcase_add_test(tc, sort_nan_last);
	tcase_add_test(tc, consistent_reader);
	tcase_add_test(tc, names_shared_and_released);
	tcase_set_timeout(tc, 30);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(ring_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
