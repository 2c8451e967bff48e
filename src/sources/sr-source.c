/* sr-source.c - what every source shares: batches, requests, instance configuration
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sr-source"

#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "sirena/source.h"

SrBatch *
sr_batch_new(SrBatchKind kind)
{
	SrBatch *batch = g_new0(SrBatch, 1);
	batch->kind = kind;
	batch->events = g_ptr_array_new_with_free_func((GDestroyNotify)sr_event_unref);
	return batch;
}

void
sr_batch_free(SrBatch *batch)
{
	if (batch == NULL)
		return;
	g_ptr_array_unref(batch->events);
	g_free(batch);
}

void
sr_batch_take(SrBatch *batch, SrEvent *event)
{
	g_ptr_array_add(batch->events, event);
}

void
sr_request_clear(SrRequest *request)
{
	g_clear_pointer(&request->url, g_free);
	g_clear_pointer(&request->headers, g_ptr_array_unref);
}

void
sr_request_add_header(SrRequest *request, const char *name, const char *value)
{
	if (request->headers == NULL)
		request->headers = g_ptr_array_new_with_free_func(g_free);
	g_ptr_array_add(request->headers, g_strdup_printf("%s: %s", name, value));
}

SrSourceConfig *
sr_source_config_new(const char *name, const SrSourceOps *ops)
{
	SrSourceConfig *config = g_new0(SrSourceConfig, 1);
	config->name = g_strdup(name);
	config->ops = ops;
	config->enabled = TRUE;
	config->url = g_strdup(ops->default_url);
	config->interval = ops->default_interval;
	config->stale_after = -1; /* the default: three intervals, at least 30 s */
	config->extra = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	return config;
}

void
sr_source_config_free(SrSourceConfig *config)
{
	if (config == NULL)
		return;
	g_free(config->name);
	g_free(config->url);
	if (config->token != NULL) {
		/* secrets do not linger in freed memory */
		memset(config->token, 0, strlen(config->token));
		g_free(config->token);
	}
	g_hash_table_unref(config->extra);
	g_free(config);
}

const char *
sr_source_config_get_extra(const SrSourceConfig *config, const char *key)
{
	return g_hash_table_lookup(config->extra, key);
}

gboolean
sr_url_is_loopback(const char *url)
{
	g_autoptr(GUri) uri = NULL;
	const char *host = NULL;
	g_autoptr(GInetAddress) address = NULL;

	if (url == NULL)
		return FALSE;
	uri = g_uri_parse(url, G_URI_FLAGS_NONE, NULL);
	if (uri == NULL)
		return FALSE;
	host = g_uri_get_host(uri);
	if (host == NULL)
		return FALSE;
	if (g_ascii_strcasecmp(host, "localhost") == 0)
		return TRUE;
	address = g_inet_address_new_from_string(host);
	return address != NULL && g_inet_address_get_is_loopback(address);
}
