/* sr-test-poller.c - the real poller and engine against the loopback server, for tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "sr-test-poller.h"
#include "sr-test-util.h"

static void
change_cb(const SrChange *change, gpointer user_data)
{
	SrTestPollerFixture *fx = user_data;
	if (change->type == SR_CHANGE_SOURCE)
		g_ptr_array_add(fx->lines,
		                g_strdup_printf("source %s %s", change->source->name,
		                                sr_source_state_to_string(change->source->state)));
	else
		g_ptr_array_add(fx->lines,
		                g_strdup_printf("%s %s", sr_change_type_to_string(change->type),
		                                change->alert->key));
}

void
sr_test_poller_setup(SrTestPollerFixture *fx, gconstpointer data)
{
	fx->server = sr_test_server_new();
	fx->engine = sr_engine_new(sr_test_catalog());
	fx->http = sr_http_new(NULL, "sirena-test");
	fx->poller = sr_poller_new(fx->engine, fx->http, sr_test_catalog());
	fx->configs = g_ptr_array_new_with_free_func((GDestroyNotify)sr_source_config_free);
	fx->lines = g_ptr_array_new_with_free_func(g_free);
	sr_engine_set_change_func(fx->engine, change_cb, fx);
}

void
sr_test_poller_teardown(SrTestPollerFixture *fx, gconstpointer data)
{
	sr_poller_free(fx->poller);
	sr_http_free(fx->http);
	sr_engine_free(fx->engine);
	g_ptr_array_unref(fx->configs);
	g_ptr_array_unref(fx->lines);
	g_clear_pointer(&fx->server, sr_test_server_free);
}

SrSourceConfig *
sr_test_poller_add_source(SrTestPollerFixture *fx, const char *type, const char *url,
                          gdouble interval, gdouble stale_after)
{
	SrSourceConfig *config = sr_source_config_new(type, sr_source_registry_lookup(type));
	g_free(config->url);
	config->url = g_strdup(url != NULL ? url : sr_test_server_get_url(fx->server));
	config->token = g_strdup("test-token-DO-NOT-LEAK");
	config->interval = interval;
	config->stale_after = stale_after;
	g_ptr_array_add(fx->configs, config);
	sr_poller_add_source(fx->poller, config);
	return config;
}

gint
sr_test_poller_find_line(SrTestPollerFixture *fx, guint from, const char *line)
{
	for (guint i = from; i < fx->lines->len; i++) {
		if (g_strcmp0(g_ptr_array_index(fx->lines, i), line) == 0)
			return (gint)i;
	}
	return -1;
}

char *
sr_test_poller_dump_lines(SrTestPollerFixture *fx)
{
	GString *all = g_string_new(NULL);
	for (guint i = 0; i < fx->lines->len; i++)
		g_string_append_printf(all, "\n  %s",
		                       (const char *)g_ptr_array_index(fx->lines, i));
	return g_string_free(all, FALSE);
}
