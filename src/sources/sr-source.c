/* sr-source.c - what every source shares: batches, requests, instance configuration
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sr-source"

#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

#include <gio/gio.h>

#include "sirena/error.h"
#include "sirena/source.h"
#include "sources/sr-sources-private.h"
#include "sr-i18n.h"

/* a hostile body must not grow the log-once table without bound */
#define LOG_ONCE_MAX 256
/* longest excerpt of an upstream value, in characters */
#define EXCERPT_MAX 64
/* the most bytes of UTF-8 one character takes */
#define UTF8_CHAR_MAX 4

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

SrIndexEntry *
sr_index_entry_new(const char *key, const char *url, const char *version)
{
	SrIndexEntry *entry = g_new0(SrIndexEntry, 1);
	entry->key = g_strdup(key);
	entry->url = g_strdup(url);
	entry->version = g_strdup(version);
	return entry;
}

void
sr_index_entry_free(SrIndexEntry *entry)
{
	if (entry == NULL)
		return;
	g_free(entry->key);
	g_free(entry->url);
	g_free(entry->version);
	g_free(entry);
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
	if (config->proxy != NULL) {
		/* it may carry a password */
		memset(config->proxy, 0, strlen(config->proxy));
		g_free(config->proxy);
	}
	g_hash_table_unref(config->extra);
	g_free(config);
}

gboolean
sr_source_config_check_token(const SrSourceConfig *config, GError **error)
{
	if (config->token == NULL)
		return TRUE;
	/* the token goes into a header line: a line break in it would forge headers */
	for (const char *p = config->token; *p != '\0'; p++) {
		if (g_ascii_iscntrl(*p)) {
			/* the error names the problem, never the secret */
			g_set_error(error, SR_ERROR, SR_ERROR_CONFIG,
			            _("source '%s': token= contains a control character"),
			            config->name);
			return FALSE;
		}
	}
	return TRUE;
}

gboolean
sr_source_config_require_token(const SrSourceConfig *config, const char *hint, GError **error)
{
	if (config->token == NULL || config->token[0] == '\0') {
		/* TRANSLATORS: %s are the source's name, then how to get a key (its own message) */
		g_set_error(error, SR_ERROR, SR_ERROR_CONFIG, _("source '%s' needs token=: %s"),
		            config->name, _(hint));
		return FALSE;
	}
	return sr_source_config_check_token(config, error);
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

static gboolean
is_json_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static gboolean
is_control(guchar c)
{
	return c < 0x20 && !is_json_space((char)c);
}

/* the offset of the first control character that is not white space, or @len; eight bytes at a
 * time, since this runs over every byte of every body before cJSON does */
static gsize
find_control(const char *body, gsize len)
{
	const guint64 ones = G_GUINT64_CONSTANT(0x0101010101010101);
	const guint64 highs = G_GUINT64_CONSTANT(0x8080808080808080);
	gsize i = 0;

	for (; i + sizeof(guint64) <= len; i += sizeof(guint64)) {
		guint64 word = 0;
		memcpy(&word, body + i, sizeof word);
		/* non-zero exactly when some byte is below 0x20 (a borrow starts only there) */
		if (((word - ones * 0x20) & ~word & highs) == 0)
			continue;
		for (gsize j = i; j < i + sizeof(guint64); j++) {
			if (is_control((guchar)body[j]))
				return j;
		}
	}
	for (; i < len; i++) {
		if (is_control((guchar)body[i]))
			return i;
	}
	return len;
}

cJSON *
sr_source_parse_json(const char *body, gsize len, GError **error)
{
	const char *end = NULL;
	g_autoptr(cJSON) root = NULL;
	gsize bad = 0;

	if (body == NULL || len == 0) {
		g_set_error_literal(error, SR_ERROR, SR_ERROR_PARSE, _("the body is empty"));
		return NULL;
	}
	/* JSON allows no raw control characters, in strings or out; cJSON would skip a NUL or any
	 * of them as white space, and "[\0]" or "[]\0garbage" must not read as an empty list: an
	 * all-clear out of a broken body */
	bad = find_control(body, len);
	if (bad < len) {
		g_set_error(error, SR_ERROR, SR_ERROR_PARSE,
		            _("the body has a control character (0x%02x) at byte %lu"),
		            (guchar)body[bad], (unsigned long)bad);
		return NULL;
	}
	root = cJSON_ParseWithLengthOpts(body, len, &end, FALSE);
	if (root == NULL) {
		g_set_error_literal(error, SR_ERROR, SR_ERROR_PARSE,
		                    _("the body is not JSON (or is nested too deeply)"));
		return NULL;
	}
	for (const char *p = end; p != NULL && p < body + len; p++) {
		if (!is_json_space(*p)) {
			g_set_error_literal(error, SR_ERROR, SR_ERROR_PARSE,
			                    _("the body has data after the JSON value"));
			return NULL;
		}
	}
	return g_steal_pointer(&root);
}

cJSON *
sr_source_parse_json_root(const char *body, gsize len, int root_type, const char *type_message,
                          GError **error)
{
	g_autoptr(cJSON) root = NULL;

	g_return_val_if_fail(root_type == cJSON_Object || root_type == cJSON_Array, NULL);
	g_return_val_if_fail(type_message != NULL, NULL);

	root = sr_source_parse_json(body, len, error);
	if (root == NULL)
		return NULL;
	/* a body of the wrong shape is a failure, never an empty snapshot (an all-clear) */
	if (root_type == cJSON_Object ? !cJSON_IsObject(root) : !cJSON_IsArray(root)) {
		g_set_error_literal(error, SR_ERROR, SR_ERROR_PARSE, type_message);
		return NULL;
	}
	return g_steal_pointer(&root);
}

/* plain decimal, as "%" G_GUINT64_FORMAT prints it, without printf's machinery per id */
static char *
format_u64(guint64 value)
{
	char digits[20];
	gsize n = 0;
	do {
		digits[sizeof digits - 1 - n] = (char)('0' + value % 10);
		value /= 10;
		n++;
	} while (value != 0);
	return g_strndup(digits + sizeof digits - n, n);
}

char *
sr_source_read_id(const cJSON *item, guint max_digits, guint64 max)
{
	/* 20 digits could overflow; a larger @max would not be exact as a double */
	g_return_val_if_fail(max_digits <= 19, NULL);
	g_return_val_if_fail(max <= SR_SOURCE_MAX_JSON_INTEGER, NULL);

	if (cJSON_IsNumber(item)) {
		gdouble value = item->valuedouble;
		if (!isfinite(value) || value < 0 || value > (gdouble)max || floor(value) != value)
			return NULL;
		return format_u64((guint64)value);
	}
	if (cJSON_IsString(item) && item->valuestring != NULL) {
		const char *str = item->valuestring;
		gsize n = strlen(str);
		guint64 value = 0;
		if (n == 0 || n > max_digits)
			return NULL;
		for (gsize i = 0; i < n; i++) {
			if (!g_ascii_isdigit(str[i]))
				return NULL;
		}
		value = g_ascii_strtoull(str, NULL, 10);
		if (value > max)
			return NULL;
		return format_u64(value);
	}
	return NULL;
}

char *
sr_source_excerpt(const char *value)
{
	gsize len = 0;
	g_autofree char *valid = NULL;

	g_return_val_if_fail(value != NULL, NULL);

	/* EXCERPT_MAX characters come from at most this many bytes (a byte that is not UTF-8 is
	 * one character): a huge value is not copied whole */
	while (len < EXCERPT_MAX * UTF8_CHAR_MAX && value[len] != '\0')
		len++;
	valid = g_utf8_make_valid(value, (gssize)len);
	return g_utf8_substring(valid, 0, MIN(g_utf8_strlen(valid, -1), EXCERPT_MAX));
}

void
sr_source_log_once(const char *log_domain, const char *what, const char *value,
                   const char *detail_format, ...)
{
	static GMutex mutex;
	/* log domain -> the "what\x1fvalue" it has logged: a source that meets a flood of new
	 * values fills its own table, never another source's */
	static GHashTable *domains = NULL;
	GHashTable *seen = NULL;
	g_autofree char *shown = NULL;
	g_autofree char *key = NULL;
	g_autofree char *detail = NULL;
	va_list args;

	g_return_if_fail(log_domain != NULL && what != NULL && value != NULL);

	shown = sr_source_excerpt(value);
	key = g_strdup_printf("%s\x1f%s", what, shown);
	{
		g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&mutex);
		if (domains == NULL)
			domains = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
			                                (GDestroyNotify)g_hash_table_unref);
		seen = g_hash_table_lookup(domains, log_domain);
		if (seen == NULL) {
			seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
			g_hash_table_insert(domains, g_strdup(log_domain), seen);
		}
		if (g_hash_table_size(seen) >= LOG_ONCE_MAX || g_hash_table_contains(seen, key))
			return;
		g_hash_table_add(seen, g_steal_pointer(&key));
	}
	va_start(args, detail_format);
	detail = g_strdup_vprintf(detail_format, args);
	va_end(args);
	/* the caller's domain, not this file's: a log filter on a source sees its messages */
	g_log_structured_standard(log_domain, G_LOG_LEVEL_MESSAGE, __FILE__, G_STRINGIFY(__LINE__),
	                          G_STRFUNC, "%s '%s' %s", what, shown, detail);
}

void
sr_source_get_members(const cJSON *object, const char *const *names, const cJSON **members, guint n)
{
	const cJSON *member = NULL;

	memset(members, 0, n * sizeof *members);
	cJSON_ArrayForEach (member, object) {
		const char *name = member->string;
		if (name == NULL)
			continue;
		for (guint i = 0; i < n; i++) {
			if (members[i] == NULL && names[i][0] == name[0] &&
			    strcmp(names[i], name) == 0) {
				members[i] = member;
				break;
			}
		}
	}
}
