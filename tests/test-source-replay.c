/* test-source-replay.c - the replay source and the bundled demo night
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "sirena/error.h"
#include "sirena/json.h"
#include "sirena/source.h"
#include "sr-test-util.h"

typedef struct {
	SrSourceConfig *config;
	gpointer state;
	SrParseContext ctx;
} Replay;

static void
replay_init(Replay *replay, const char *file)
{
	replay->config = sr_source_config_new("demo", sr_source_registry_lookup("replay"));
	g_hash_table_insert(replay->config->extra, g_strdup("file"), g_strdup(file));
	replay->ctx.source_name = "demo";
	replay->ctx.catalog = sr_test_catalog();
}

static void
replay_clear(Replay *replay)
{
	if (replay->state != NULL)
		replay->config->ops->free_state(replay->state);
	sr_source_config_free(replay->config);
}

static SrBatch *
play(Replay *replay, gdouble elapsed, gboolean *finished, gint64 *now, GError **error)
{
	*now = 0;
	return replay->config->ops->fetch_local(replay->config, &replay->state, &replay->ctx,
	                                        elapsed, finished, now, error);
}

static void
test_demo_night(void)
{
	g_autofree char *file = g_build_filename(sr_data_dir(), "demo", "night.json", NULL);
	Replay replay = {0};
	gboolean finished = FALSE;
	gint64 now = 0;
	g_autoptr(GError) error = NULL;
	g_autoptr(SrBatch) first = NULL;
	g_autoptr(SrBatch) again = NULL;
	g_autoptr(SrBatch) later = NULL;
	g_autoptr(SrBatch) last = NULL;

	replay_init(&replay, file);
	/* speed 360: 5 real seconds are half an hour of the recorded night */
	first = play(&replay, 0, &finished, &now, &error);
	g_assert_no_error(error);
	g_assert_nonnull(first);
	g_assert_false(finished);
	g_assert_cmpuint(first->events->len, ==, 2);
	g_assert_cmpint(now, ==, 1795550400); /* 2026-11-24T20:00:00Z */
	/* nothing new before the next step: "unchanged", not an empty all-clear */
	again = play(&replay, 1, &finished, &now, &error);
	g_assert_no_error(error);
	g_assert_null(again);
	later = play(&replay, 5, &finished, &now, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(later->events->len, ==, 3);
	g_assert_cmpint(now, ==, 1795550400 + 1800);
	/* the steps that are due are played one per poll, none skipped */
	for (guint i = 0; i < 3; i++) {
		g_autoptr(SrBatch) batch = play(&replay, 6100.0 / 360, &finished, &now, &error);
		g_assert_no_error(error);
		g_assert_nonnull(batch);
	}
	g_assert_cmpint(now, ==, 1795550400 + 4500);
	/* the recorded outage is an outage, and lasts until the next step */
	g_assert_null(play(&replay, 6100.0 / 360, &finished, &now, &error));
	g_assert_error(error, SR_ERROR, SR_ERROR_NETWORK);
	g_assert_cmpint(now, ==, 1795550400 + 6000);
	g_clear_error(&error);
	g_assert_null(play(&replay, 6200.0 / 360, &finished, &now, &error));
	g_assert_error(error, SR_ERROR, SR_ERROR_NETWORK);
	g_clear_error(&error);
	while (!finished) {
		g_autoptr(SrBatch) batch = play(&replay, 61, &finished, &now, &error);
		g_assert_no_error(error);
		if (batch != NULL) {
			g_clear_pointer(&last, sr_batch_free);
			last = g_steal_pointer(&batch);
		}
	}
	/* the night ends with only the permanent alerts (Luhansk, Crimea) */
	g_assert_nonnull(last);
	g_assert_cmpuint(last != NULL ? last->events->len : 0, ==, 2);
	replay_clear(&replay);
}

static void
test_bad_timelines(void)
{
	static const char *const bad[] = {
	    "",
	    "[]",
	    "{\"format\":\"nope\",\"steps\":[{\"at\":0,\"body\":[]}]}",
	    "{\"format\":\"alerts_in_ua\",\"steps\":[]}",
	    "{\"format\":\"alerts_in_ua\",\"steps\":[{\"body\":[]}]}",
	    "{\"format\":\"alerts_in_ua\",\"steps\":[{\"at\":0}]}",
	    "{\"format\":\"alerts_in_ua\",\"start\":\"noon\",\"steps\":[{\"at\":0,\"body\":{}}]}",
	};
	g_autoptr(GError) error = NULL;
	g_autofree char *dir = g_dir_make_tmp("sirena-replay-XXXXXX", &error);
	g_autofree char *path = g_build_filename(dir, "t.json", NULL);
	g_assert_no_error(error);
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		Replay replay = {0};
		gboolean finished = FALSE;
		gint64 now = 0;
		g_autoptr(GError) local_error = NULL;
		g_assert_true(g_file_set_contents(path, bad[i], -1, NULL));
		replay_init(&replay, path);
		g_assert_null(play(&replay, 0, &finished, &now, &local_error));
		g_assert_nonnull(local_error);
		g_assert_true(finished);
		replay_clear(&replay);
	}
	g_unlink(path);
	g_rmdir(dir);
}

static void
test_malformed_step(void)
{
	/* a recorded body that is garbage goes through the real parser and fails there */
	g_autoptr(GError) error = NULL;
	g_autofree char *dir = g_dir_make_tmp("sirena-replay-XXXXXX", &error);
	g_autofree char *path = g_build_filename(dir, "t.json", NULL);
	Replay replay = {0};
	gboolean finished = FALSE;
	gint64 now = 0;
	g_assert_true(g_file_set_contents(
	    path, "{\"format\":\"alerts_in_ua\",\"steps\":[{\"at\":0,\"text\":\"<html>\"}]}", -1,
	    NULL));
	replay_init(&replay, path);
	g_assert_null(play(&replay, 0, &finished, &now, &error));
	g_assert_error(error, SR_ERROR, SR_ERROR_PARSE);
	replay_clear(&replay);
	g_unlink(path);
	g_rmdir(dir);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
	g_test_add_func("/sr/source/replay/demo-night", test_demo_night);
	g_test_add_func("/sr/source/replay/bad-timelines", test_bad_timelines);
	g_test_add_func("/sr/source/replay/malformed-step", test_malformed_step);
	return g_test_run();
}
