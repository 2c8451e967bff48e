/* sr-config.c - the configuration file: GKeyFile with defaults in code
 *
 * GKeyFile does the parsing; this file adds what a person needs when it goes wrong: the file and
 * line of the offending key, what was expected, and warnings for keys it does not know.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sr-config"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "sirena/config.h"
#include "sirena/error.h"
#include "sirena/geo.h"
#include "sirena/http.h"
#include "sr-i18n.h"
#include "relay/sr-mqtt.h"

#define SOURCE_GROUP_PREFIX "source "

static const char *const sirena_keys[] = {"regions", "location", "radius", "geocodes", NULL};
static const char *const source_keys[] = {"type",     "enabled",     "url",   "token",
                                          "interval", "stale_after", "proxy", NULL};
/* read by sirenad; listed so that `sirena config check` knows them */
static const char *const notify_keys[] = {"sound", "quiet-hours", NULL};
static const char *const relay_keys[] = {"url",       "ca_file",       "username",
                                         "password",  "client_id",     "prefix",
                                         "heartbeat", "homeassistant", NULL};

typedef struct {
	const char *path;
	const char *data;
	gsize len;
} ConfigText;

static gboolean
line_is_group(const char *line, const char *group)
{
	gsize glen = strlen(group);
	line += strspn(line, " \t");
	return line[0] == '[' && strncmp(line + 1, group, glen) == 0 && line[glen + 1] == ']';
}

static gboolean
line_has_key(const char *line, const char *key)
{
	gsize klen = strlen(key);
	line += strspn(line, " \t");
	if (strncmp(line, key, klen) != 0)
		return FALSE;
	line += klen;
	line += strspn(line, " \t");
	return line[0] == '=' || line[0] == '[';
}

/* the 1-based line of @key in @group (or of the group when @key is NULL); 0 when not found.
 * GKeyFile keeps the last of repeated keys and merges repeated groups: so is the last line. */
static guint
find_line(const ConfigText *text, const char *group, const char *key)
{
	g_auto(GStrv) lines = NULL;
	gboolean in_group = FALSE;
	guint found = 0;
	if (text->data == NULL)
		return 0;
	lines = g_strsplit(text->data, "\n", -1);
	for (guint i = 0; lines[i] != NULL; i++) {
		const char *line = lines[i];
		const char *trimmed = line + strspn(line, " \t");
		if (trimmed[0] == '[') {
			in_group = line_is_group(line, group);
			if (in_group && key == NULL && found == 0)
				found = i + 1;
			continue;
		}
		if (in_group && key != NULL && line_has_key(line, key))
			found = i + 1;
	}
	return found;
}

static char *
location(const ConfigText *text, const char *group, const char *key)
{
	guint line = find_line(text, group, key);
	const char *path = text->path != NULL ? text->path : "(config)";
	if (line > 0)
		return g_strdup_printf("%s:%u", path, line);
	return g_strdup(path);
}

static void set_key_error(GError **error, const ConfigText *text, const char *group,
                          const char *key, const char *fmt, ...) G_GNUC_PRINTF(5, 6);

/* "FILE:LINE: [group] key: what", the shape of every message about the file */
static char *format_at(const ConfigText *text, const char *group, const char *key, const char *fmt,
                       va_list args) G_GNUC_PRINTF(4, 0);

static char *
format_at(const ConfigText *text, const char *group, const char *key, const char *fmt, va_list args)
{
	g_autofree char *where = location(text, group, key);
	g_autofree char *what = g_strdup_vprintf(fmt, args);
	if (key != NULL)
		return g_strdup_printf("%s: [%s] %s: %s", where, group, key, what);
	return g_strdup_printf("%s: [%s]: %s", where, group, what);
}

static void
set_key_error(GError **error, const ConfigText *text, const char *group, const char *key,
              const char *fmt, ...)
{
	va_list args;
	g_autofree char *message = NULL;
	va_start(args, fmt);
	message = format_at(text, group, key, fmt, args);
	va_end(args);
	g_set_error_literal(error, SR_ERROR, SR_ERROR_CONFIG, message);
}

static void add_warning(SrConfig *config, const ConfigText *text, const char *group,
                        const char *key, const char *fmt, ...) G_GNUC_PRINTF(5, 6);

static void
add_warning(SrConfig *config, const ConfigText *text, const char *group, const char *key,
            const char *fmt, ...)
{
	va_list args;
	va_start(args, fmt);
	g_ptr_array_add(config->warnings, format_at(text, group, key, fmt, args));
	va_end(args);
}

/* GKeyFile accepts things a person did not mean; catch the lines it would reject, by number */
static gboolean
check_syntax(const ConfigText *text, GError **error)
{
	g_auto(GStrv) lines = g_strsplit(text->data, "\n", -1);
	for (guint i = 0; lines[i] != NULL; i++) {
		const char *line = lines[i] + strspn(lines[i], " \t\r");
		if (line[0] == '\0' || line[0] == '#')
			continue;
		if (line[0] == '[') {
			if (strchr(line, ']') == NULL) {
				g_set_error(error, SR_ERROR, SR_ERROR_CONFIG,
				            _("%s:%u: a group header needs a closing ']'"),
				            text->path != NULL ? text->path : "(config)", i + 1);
				return FALSE;
			}
			continue;
		}
		if (line[0] == '=') {
			/* the value is not repeated: it may be half of a wrapped token */
			g_set_error(error, SR_ERROR, SR_ERROR_CONFIG,
			            _("%s:%u: a line starts with '=': the key name is missing"),
			            text->path != NULL ? text->path : "(config)", i + 1);
			return FALSE;
		}
		if (strchr(line, '=') == NULL) {
			g_set_error(error, SR_ERROR, SR_ERROR_CONFIG,
			            _("%s:%u: expected 'key=value', '[group]' or a '#' comment"),
			            text->path != NULL ? text->path : "(config)", i + 1);
			return FALSE;
		}
	}
	return TRUE;
}

static gboolean
key_known(const char *const *known, const char *key)
{
	for (guint i = 0; known != NULL && known[i] != NULL; i++) {
		if (g_strcmp0(known[i], key) == 0)
			return TRUE;
	}
	return FALSE;
}

/* a plausible key name: lower-case letters, '_' and '-', as every Sirena key is */
static gboolean
key_is_word(const char *key)
{
	gsize len = strlen(key);
	if (len == 0 || len > 32)
		return FALSE;
	for (const char *p = key; *p != '\0'; p++) {
		if (!g_ascii_islower(*p) && *p != '_' && *p != '-')
			return FALSE;
	}
	return TRUE;
}

static void
warn_unknown_keys(SrConfig *config, const ConfigText *text, GKeyFile *keyfile, const char *group,
                  const char *const *known, const char *const *extra)
{
	g_auto(GStrv) keys = g_key_file_get_keys(keyfile, group, NULL, NULL);
	for (guint i = 0; keys != NULL && keys[i] != NULL; i++) {
		if (key_known(known, keys[i]) || key_known(extra, keys[i]))
			continue;
		if (key_is_word(keys[i]))
			add_warning(config, text, group, keys[i], _("unknown key, ignored"));
		else
			/* not a word: perhaps the second half of a wrapped token, never echoed */
			add_warning(
			    config, text, group, NULL,
			    _("a line is neither a known key nor a word (not shown), ignored"));
	}
}

static gboolean
read_seconds(const ConfigText *text, GKeyFile *keyfile, const char *group, const char *key,
             gdouble *out, GError **error)
{
	g_autofree char *value = g_key_file_get_value(keyfile, group, key, NULL);
	char *end = NULL;
	gdouble seconds = 0;
	if (value == NULL)
		return TRUE;
	g_strstrip(value);
	seconds = g_ascii_strtod(value, &end);
	if (value[0] == '\0' || end == NULL || *end != '\0' || !(seconds > 0) || seconds > 86400) {
		set_key_error(error, text, group, key,
		              _("'%s' is not a number of seconds between 0 and 86400 (e.g. %s=15)"),
		              value, key);
		return FALSE;
	}
	*out = seconds;
	return TRUE;
}

static gboolean
read_bool(const ConfigText *text, GKeyFile *keyfile, const char *group, const char *key,
          gboolean *out, GError **error)
{
	g_autoptr(GError) local_error = NULL;
	gboolean value = FALSE;
	if (!g_key_file_has_key(keyfile, group, key, NULL))
		return TRUE;
	value = g_key_file_get_boolean(keyfile, group, key, &local_error);
	if (local_error != NULL) {
		g_autofree char *raw = g_key_file_get_value(keyfile, group, key, NULL);
		set_key_error(error, text, group, key, _("'%s' is not true or false"),
		              raw != NULL ? raw : "");
		return FALSE;
	}
	*out = value;
	return TRUE;
}

/* proxy=: may carry a password, so no message repeats the value */
static gboolean
read_proxy(SrConfig *config, const ConfigText *text, GKeyFile *keyfile, const char *group,
           SrSourceConfig *source, GError **error)
{
	g_autofree char *proxy = g_key_file_get_string(keyfile, group, "proxy", NULL);
	g_autoptr(GError) local_error = NULL;

	if (proxy == NULL)
		return TRUE;
	g_strstrip(proxy);
	if (proxy[0] == '\0')
		return TRUE;
	if (!sr_http_check_proxy(proxy, NULL, &local_error)) {
		set_key_error(error, text, group, "proxy",
		              _("%s (expected SCHEME://[USER:PASSWORD@]HOST:PORT)"),
		              local_error->message);
		memset(proxy, 0, strlen(proxy));
		return FALSE;
	}
	if (source->ops->fetch_local != NULL)
		add_warning(config, text, group, "proxy",
		            _("source type %s reads no network; ignored"), source->ops->type);
	source->proxy = g_steal_pointer(&proxy);
	return TRUE;
}

static gboolean
read_source(SrConfig *config, const ConfigText *text, GKeyFile *keyfile, const char *group,
            GError **error)
{
	const char *name = group + strlen(SOURCE_GROUP_PREFIX);
	g_autofree char *type = NULL;
	g_autofree char *url = NULL;
	g_autofree char *token = NULL;
	g_autoptr(SrSourceConfig) source = NULL;
	g_autoptr(GError) local_error = NULL;
	const SrSourceOps *ops = NULL;

	for (const char *p = name; *p != '\0'; p++) {
		if (!g_ascii_isalnum(*p) && *p != '_' && *p != '-' && *p != '.') {
			set_key_error(error, text, group, NULL,
			              _("a source name may use letters, digits, '_', '-' and '.'"));
			return FALSE;
		}
	}
	if (name[0] == '\0') {
		set_key_error(error, text, group, NULL,
		              _("the source needs a name: [source NAME]"));
		return FALSE;
	}
	type = g_key_file_get_string(keyfile, group, "type", NULL);
	if (type == NULL) {
		/* a group named after its type needs no type= */
		if (sr_source_registry_lookup(name) == NULL) {
			set_key_error(error, text, group, NULL,
			              _("missing type= (one of the types `sirena sources` lists)"));
			return FALSE;
		}
		type = g_strdup(name);
	}
	g_strstrip(type);
	ops = sr_source_registry_lookup(type);
	if (ops == NULL) {
		g_autoptr(GString) types = g_string_new(NULL);
		const SrSourceOps *const *all = sr_source_registry_all();
		for (guint i = 0; all[i] != NULL; i++)
			g_string_append_printf(types, "%s%s", i > 0 ? ", " : "", all[i]->type);
		set_key_error(error, text, group, "type",
		              _("unknown source type '%s' (expected one of: %s)"), type,
		              types->str);
		return FALSE;
	}
	source = sr_source_config_new(name, ops);

	if (!read_bool(text, keyfile, group, "enabled", &source->enabled, error))
		return FALSE;

	url = g_key_file_get_string(keyfile, group, "url", NULL);
	if (url != NULL) {
		g_strstrip(url);
		while (g_str_has_suffix(url, "/"))
			url[strlen(url) - 1] = '\0';
		if (ops->fetch_local == NULL && !sr_http_check_url(url, &local_error)) {
			set_key_error(
			    error, text, group, "url",
			    _("%s (expected an https:// URL, or http:// only to 127.0.0.1)"),
			    local_error->message);
			return FALSE;
		}
		g_free(source->url);
		source->url = g_steal_pointer(&url);
	}

	token = g_key_file_get_string(keyfile, group, "token", NULL);
	if (token != NULL) {
		g_strstrip(token);
		for (const char *p = token; *p != '\0'; p++) {
			if ((guchar)*p < 0x20 || *p == 0x7f) {
				/* it would forge extra HTTP headers; the token itself is not shown
				 */
				set_key_error(error, text, group, "token",
				              _("contains a control character (a tab or an escape "
				                "sequence?); remove it"));
				return FALSE;
			}
		}
		if (token[0] != '\0')
			source->token = g_steal_pointer(&token);
	}
	if (!read_proxy(config, text, keyfile, group, source, error))
		return FALSE;
	if (ops->needs_token && source->token == NULL && source->enabled) {
		set_key_error(error, text, group, "token",
		              _("source type %s needs an API token: set token=… (see the README, "
		                "\"Getting API keys\"), or enabled=false"),
		              ops->type);
		return FALSE;
	}

	if (!read_seconds(text, keyfile, group, "interval", &source->interval, error) ||
	    !read_seconds(text, keyfile, group, "stale_after", &source->stale_after, error))
		return FALSE;
	if (source->interval < ops->min_interval && !sr_url_is_loopback(source->url) &&
	    ops->fetch_local == NULL)
		add_warning(config, text, group, "interval",
		            _("%g s is faster than %s allows; %g s is used"), source->interval,
		            ops->type, ops->min_interval);

	{
		g_auto(GStrv) keys = g_key_file_get_keys(keyfile, group, NULL, NULL);
		for (guint i = 0; keys != NULL && keys[i] != NULL; i++) {
			if (key_known(ops->extra_keys, keys[i])) {
				g_autofree char *value =
				    g_key_file_get_string(keyfile, group, keys[i], NULL);
				g_hash_table_insert(source->extra, g_strdup(keys[i]),
				                    g_strdup(value != NULL ? value : ""));
			}
		}
	}
	warn_unknown_keys(config, text, keyfile, group, source_keys, ops->extra_keys);
	/* the type's own keys (contact=, ars=, country= …) are its to judge: asking for the
	 * request now tells the user at load time, not at the first poll */
	if (source->enabled && (ops->extra_keys != NULL || ops->default_url == NULL) &&
	    ops->build_request != NULL) {
		SrRequest request = {0};
		if (!ops->build_request(source, SR_REQUEST_MAIN, &request, &local_error) &&
		    g_error_matches(local_error, SR_ERROR, SR_ERROR_CONFIG)) {
			set_key_error(error, text, group, NULL, "%s", local_error->message);
			sr_request_clear(&request);
			return FALSE;
		}
		g_clear_error(&local_error);
		sr_request_clear(&request);
	}
	g_ptr_array_add(config->sources, g_steal_pointer(&source));
	return TRUE;
}

/* the value of @key in @group, stripped; NULL when absent or empty (an empty value sets
 * nothing, as for every other key) */
static char *
get_group_value(GKeyFile *keyfile, const char *group, const char *key)
{
	g_autofree char *value = g_key_file_get_string(keyfile, group, key, NULL);
	if (value == NULL)
		return NULL;
	g_strstrip(value);
	if (value[0] == '\0')
		return NULL;
	return g_steal_pointer(&value);
}

/* a topic level the relay builds on: no wildcards, no empty level, no control characters */
static gboolean
relay_prefix_valid(const char *prefix)
{
	if (prefix[0] == '/' || g_str_has_suffix(prefix, "/") || strstr(prefix, "//") != NULL)
		return FALSE;
	for (const char *p = prefix; *p != '\0'; p++) {
		if (*p == '+' || *p == '#' || (guchar)*p < 0x20 || *p == 0x7f)
			return FALSE;
	}
	return TRUE;
}

/* [relay]: the MQTT sink of sirenad (src/relay/); the password is never repeated */
static gboolean
read_relay(SrConfig *config, const ConfigText *text, GKeyFile *keyfile, GError **error)
{
	SrRelayConfig *relay = &config->relay;
	g_autoptr(GError) local_error = NULL;
	g_autofree char *client_id = NULL;

	warn_unknown_keys(config, text, keyfile, "relay", relay_keys, NULL);
	relay->url = get_group_value(keyfile, "relay", "url");
	if (relay->url == NULL) {
		add_warning(config, text, "relay", NULL,
		            _("no url= (mqtt://HOST:PORT or mqtts://HOST:PORT): the relay is off"));
		return TRUE;
	}
	if (!sr_mqtt_parse_url(relay->url, &relay->host, &relay->port, &relay->tls, &local_error)) {
		set_key_error(error, text, "relay", "url", "%s", local_error->message);
		return FALSE;
	}
	relay->ca_file = get_group_value(keyfile, "relay", "ca_file");
	if (relay->ca_file != NULL && !relay->tls)
		add_warning(config, text, "relay", "ca_file",
		            _("only used with an mqtts:// URL; ignored"));
	if (relay->ca_file != NULL && !g_file_test(relay->ca_file, G_FILE_TEST_IS_REGULAR)) {
		set_key_error(error, text, "relay", "ca_file", _("'%s' is not a readable file"),
		              relay->ca_file);
		return FALSE;
	}
	relay->username = get_group_value(keyfile, "relay", "username");
	relay->password = get_group_value(keyfile, "relay", "password");
	for (const char *p = relay->password; p != NULL && *p != '\0'; p++) {
		if ((guchar)*p < 0x20 || *p == 0x7f) {
			set_key_error(error, text, "relay", "password",
			              _("contains a control character; remove it"));
			return FALSE;
		}
	}
	if (relay->password != NULL && relay->username == NULL) {
		set_key_error(error, text, "relay", "username", _("a password= needs a username="));
		return FALSE;
	}
	client_id = get_group_value(keyfile, "relay", "client_id");
	if (client_id == NULL)
		client_id = g_strdup_printf("sirena-%s", g_get_host_name());
	if (strlen(client_id) > 23)
		add_warning(config, text, "relay", "client_id",
		            _("longer than 23 characters: some MQTT 3.1 brokers refuse that"));
	relay->client_id = g_steal_pointer(&client_id);
	relay->prefix = get_group_value(keyfile, "relay", "prefix");
	if (relay->prefix == NULL)
		relay->prefix = g_strdup("sirena");
	if (!relay_prefix_valid(relay->prefix)) {
		set_key_error(
		    error, text, "relay", "prefix",
		    _("'%s' is not a topic prefix (levels separated by '/', no '+' or '#')"),
		    relay->prefix);
		return FALSE;
	}
	if (!read_seconds(text, keyfile, "relay", "heartbeat", &relay->heartbeat, error) ||
	    !read_bool(text, keyfile, "relay", "homeassistant", &relay->homeassistant, error))
		return FALSE;
	relay->enabled = TRUE;
	return TRUE;
}

static gboolean
read_regions(SrConfig *config, const ConfigText *text, GKeyFile *keyfile, const SrCatalog *catalog,
             GError **error)
{
	g_auto(GStrv) regions = NULL;
	if (!g_key_file_has_key(keyfile, "sirena", "regions", NULL))
		return TRUE;
	regions = g_key_file_get_string_list(keyfile, "sirena", "regions", NULL, NULL);
	for (guint i = 0; regions != NULL && regions[i] != NULL; i++) {
		g_autoptr(GError) local_error = NULL;
		const SrRegion *region = NULL;
		g_strstrip(regions[i]);
		if (regions[i][0] == '\0')
			continue;
		region = sr_catalog_resolve(catalog, regions[i], &local_error);
		if (region == NULL) {
			set_key_error(error, text, "sirena", "regions", "%s", local_error->message);
			return FALSE;
		}
		g_ptr_array_add(config->regions, g_strdup(region->id));
	}
	return TRUE;
}

static gboolean
read_point(SrLocation *location, const ConfigText *text, GKeyFile *keyfile, GError **error)
{
	g_autofree char *value = get_group_value(keyfile, "sirena", "location");
	double lat = 0;
	double lon = 0;
	if (value == NULL)
		return TRUE;
	if (!sr_geo_parse_point(value, &lat, &lon)) {
		set_key_error(
		    error, text, "sirena", "location",
		    _("'%s' is not 'latitude,longitude' in decimal degrees, latitude -90 to "
		      "90 and longitude -180 to 180 (e.g. location=50.4501,30.5234)"),
		    value);
		return FALSE;
	}
	location->has_point = TRUE;
	location->lat = lat;
	location->lon = lon;
	return TRUE;
}

static gboolean
read_radius(SrLocation *location, const ConfigText *text, GKeyFile *keyfile, GError **error)
{
	g_autofree char *value = get_group_value(keyfile, "sirena", "radius");
	double radius = 0;
	if (value == NULL)
		return TRUE;
	if (!location->has_point) {
		/* a radius around nothing: the user meant a place and would get none */
		set_key_error(error, text, "sirena", "radius",
		              _("a radius needs location=latitude,longitude to be around "
		                "(e.g. location=50.4501,30.5234)"));
		return FALSE;
	}
	if (!sr_geo_parse_decimal(value, &radius) || radius < 0 || radius > 500) {
		set_key_error(error, text, "sirena", "radius",
		              _("'%s' is not a distance in km from 0 to 500 (e.g. radius=5)"),
		              value);
		return FALSE;
	}
	location->radius_km = radius;
	return TRUE;
}

static gboolean
geocode_name_valid(const char *name)
{
	for (const char *p = name; *p != '\0'; p++) {
		if (!g_ascii_isalnum(*p) && *p != '_' && *p != '-')
			return FALSE;
	}
	return TRUE;
}

static gboolean
read_geocodes(SrLocation *location, const ConfigText *text, GKeyFile *keyfile, GError **error)
{
	g_auto(GStrv) items = NULL;
	if (!g_key_file_has_key(keyfile, "sirena", "geocodes", NULL))
		return TRUE;
	items = g_key_file_get_string_list(keyfile, "sirena", "geocodes", NULL, NULL);
	if (items == NULL) {
		set_key_error(error, text, "sirena", "geocodes",
		              _("the value has an invalid escape sequence (a '\\' not followed by "
		                "s, n, t, r, ';' or '\\'; expected NAME=VALUE items separated by "
		                "';')"));
		return FALSE;
	}
	for (guint i = 0; items != NULL && items[i] != NULL; i++) {
		const char *item = g_strstrip(items[i]);
		const char *eq = strchr(item, '=');
		const char *problem = NULL;
		g_autofree char *name = NULL;
		g_autofree char *value = NULL;
		if (item[0] == '\0')
			continue;
		if (eq != NULL) {
			name = g_strstrip(g_strndup(item, (gsize)(eq - item)));
			value = g_strstrip(g_strdup(eq + 1));
		}
		if (eq == NULL)
			problem = _("is not NAME=VALUE");
		else if (name[0] == '\0')
			problem = _("has no name before '='");
		else if (!geocode_name_valid(name))
			problem = _("has a name that is not only letters, digits, '_' and '-'");
		else if (value[0] == '\0')
			problem = _("has no value after '='");
		if (problem != NULL) {
			set_key_error(error, text, "sirena", "geocodes",
			              _("'%s' %s (expected NAME=VALUE items separated by ';', e.g. "
			                "geocodes=SAME=006037;UGC=CAZ041)"),
			              item, problem);
			return FALSE;
		}
		sr_location_add_geocode(location, name, value);
	}
	return TRUE;
}

static gboolean
read_location(SrConfig *config, const ConfigText *text, GKeyFile *keyfile, GError **error)
{
	return read_point(config->location, text, keyfile, error) &&
	       read_radius(config->location, text, keyfile, error) &&
	       read_geocodes(config->location, text, keyfile, error);
}

static const char *const notify_rule_keys[] = {"notify", "urgency", "sound", "bypass-quiet", NULL};

/* [notify KIND]: what to do for one kind of alert */
static gboolean
read_notify_rule(SrConfig *config, const ConfigText *text, GKeyFile *keyfile, const char *group,
                 GError **error)
{
	const char *name = group + strlen("notify ");
	SrKind kind = SR_KIND_UNKNOWN;
	SrNotifyRule *rule = NULL;
	g_autofree char *urgency = NULL;

	if (!sr_kind_from_string(name, &kind)) {
		g_autoptr(GString) all = g_string_new(NULL);
		for (guint k = 0; k < SR_KIND_LAST; k++)
			g_string_append_printf(all, "%s%s", k > 0 ? ", " : "",
			                       sr_kind_to_string((SrKind)k));
		set_key_error(error, text, group, NULL,
		              _("'%s' is not a kind of alert (one of: %s)"), name, all->str);
		return FALSE;
	}
	rule = &config->notify.rules[kind];
	if (!read_bool(text, keyfile, group, "notify", &rule->notify, error) ||
	    !read_bool(text, keyfile, group, "sound", &rule->sound, error) ||
	    !read_bool(text, keyfile, group, "bypass-quiet", &rule->bypass_quiet, error))
		return FALSE;
	urgency = g_key_file_get_string(keyfile, group, "urgency", NULL);
	if (urgency != NULL &&
	    !sr_notify_urgency_from_string(g_strstrip(urgency), &rule->urgency)) {
		set_key_error(error, text, group, "urgency",
		              _("'%s' is not low, normal or critical"), urgency);
		return FALSE;
	}
	rule->urgency_set = urgency != NULL;
	warn_unknown_keys(config, text, keyfile, group, notify_rule_keys, NULL);
	return TRUE;
}

static gboolean
read_quiet_hours(SrConfig *config, const ConfigText *text, GKeyFile *keyfile, GError **error)
{
	g_autofree char *value = g_key_file_get_string(keyfile, "notify", "quiet-hours", NULL);
	guint h1 = 0, m1 = 0, h2 = 0, m2 = 0;
	char tail = '\0';
	if (value == NULL)
		return TRUE;
	g_strstrip(value);
	if (sscanf(value, "%2u:%2u-%2u:%2u%c", &h1, &m1, &h2, &m2, &tail) != 4 || h1 > 23 ||
	    h2 > 23 || m1 > 59 || m2 > 59) {
		set_key_error(error, text, "notify", "quiet-hours",
		              _("'%s' is not a time range HH:MM-HH:MM (e.g. 23:00-07:00)"), value);
		return FALSE;
	}
	config->notify.quiet_start = h1 * 60 + m1;
	config->notify.quiet_end = h2 * 60 + m2;
	/* an empty range is no quiet hours, not a whole day of them */
	config->notify.has_quiet_hours = config->notify.quiet_start != config->notify.quiet_end;
	return TRUE;
}

static guint
count_enabled(const SrConfig *config)
{
	g_autoptr(GPtrArray) enabled = sr_config_get_enabled_sources(config);
	return enabled->len;
}

static SrConfig *
config_new(const char *path)
{
	SrConfig *config = g_new0(SrConfig, 1);
	config->path = g_strdup(path);
	config->regions = g_ptr_array_new_with_free_func(g_free);
	config->sources = g_ptr_array_new_with_free_func((GDestroyNotify)sr_source_config_free);
	config->warnings = g_ptr_array_new_with_free_func(g_free);
	config->location = sr_location_new();
	sr_notify_settings_init(&config->notify);
	config->relay.heartbeat = 30;
	return config;
}

void
sr_config_free(SrConfig *config)
{
	if (config == NULL)
		return;
	g_free(config->path);
	g_ptr_array_unref(config->regions);
	g_ptr_array_unref(config->sources);
	g_ptr_array_unref(config->warnings);
	sr_location_free(config->location);
	g_free(config->relay.url);
	g_free(config->relay.host);
	g_free(config->relay.ca_file);
	g_free(config->relay.username);
	if (config->relay.password != NULL)
		memset(config->relay.password, 0, strlen(config->relay.password));
	g_free(config->relay.password);
	g_free(config->relay.client_id);
	g_free(config->relay.prefix);
	g_free(config);
}

SrConfig *
sr_config_new_default(const SrCatalog *catalog)
{
	SrConfig *config = config_new(NULL);
	const SrSourceOps *ops = sr_source_registry_lookup("ubilling");
	g_ptr_array_add(config->sources, sr_source_config_new(ops->type, ops));
	return config;
}

SrConfig *
sr_config_load_data(const char *data, gsize len, const char *path, const SrCatalog *catalog,
                    GError **error)
{
	g_autoptr(SrConfig) config = config_new(path);
	g_autoptr(GKeyFile) keyfile = g_key_file_new();
	g_autoptr(GError) local_error = NULL;
	g_auto(GStrv) groups = NULL;
	ConfigText text = {path, data, len};

	if (!g_utf8_validate(data, (gssize)len, NULL) || memchr(data, '\0', len) != NULL) {
		g_set_error(error, SR_ERROR, SR_ERROR_CONFIG, _("%s: not a UTF-8 text file"),
		            path != NULL ? path : "(config)");
		return NULL;
	}
	if (!check_syntax(&text, error))
		return NULL;
	if (!g_key_file_load_from_data(keyfile, data, len, G_KEY_FILE_NONE, &local_error)) {
		/* GKeyFile quotes the offending line, which may hold a token: say less */
		g_set_error(error, SR_ERROR, SR_ERROR_CONFIG,
		            _("%s: not a valid configuration file (expected '[group]' headers and "
		              "'key=value' lines)"),
		            path != NULL ? path : "(config)");
		return NULL;
	}
	groups = g_key_file_get_groups(keyfile, NULL);
	for (guint i = 0; groups[i] != NULL; i++) {
		const char *group = groups[i];
		if (g_strcmp0(group, "sirena") == 0) {
			warn_unknown_keys(config, &text, keyfile, group, sirena_keys, NULL);
		} else if (g_strcmp0(group, "notify") == 0) {
			warn_unknown_keys(config, &text, keyfile, group, notify_keys, NULL);
			if (!read_bool(&text, keyfile, group, "sound", &config->notify.sound,
			               error))
				return NULL;
		} else if (g_str_has_prefix(group, "notify ")) {
			if (!read_notify_rule(config, &text, keyfile, group, error))
				return NULL;
		} else if (g_str_has_prefix(group, SOURCE_GROUP_PREFIX)) {
			if (!read_source(config, &text, keyfile, group, error))
				return NULL;
		} else if (g_strcmp0(group, "relay") == 0) {
			if (!read_relay(config, &text, keyfile, error))
				return NULL;
		} else {
			add_warning(config, &text, group, NULL,
			            _("unknown group, ignored (expected [sirena], [notify], "
			              "[notify KIND] or [source NAME])"));
		}
	}
	if (!read_regions(config, &text, keyfile, catalog, error) ||
	    !read_location(config, &text, keyfile, error) ||
	    !read_quiet_hours(config, &text, keyfile, error))
		return NULL;
	if (config->sources->len == 0) {
		/* no source at all would be silence that looks like calm */
		const SrSourceOps *ops = sr_source_registry_lookup("ubilling");
		g_ptr_array_add(config->sources, sr_source_config_new(ops->type, ops));
		g_ptr_array_add(config->warnings,
		                g_strdup_printf(_("%s: no [source NAME] group; using the keyless "
		                                  "ubilling source"),
		                                path != NULL ? path : "(config)"));
	} else if (count_enabled(config) == 0) {
		g_set_error(error, SR_ERROR, SR_ERROR_CONFIG,
		            _("%s: every source is disabled; enable at least one (enabled=true)"),
		            path != NULL ? path : "(config)");
		return NULL;
	}
	return g_steal_pointer(&config);
}

static void
check_permissions(SrConfig *config, const char *path)
{
	struct stat st;
	gboolean has_token = FALSE;
	gboolean has_password = FALSE;
	for (guint i = 0; i < config->sources->len; i++) {
		const SrSourceConfig *source = g_ptr_array_index(config->sources, i);
		gboolean proxy_password = FALSE;
		if (source->token != NULL)
			has_token = TRUE;
		if (source->proxy != NULL &&
		    sr_http_check_proxy(source->proxy, &proxy_password, NULL) && proxy_password)
			has_password = TRUE;
	}
	if ((has_token || has_password || config->relay.password != NULL) &&
	    g_stat(path, &st) == 0 && (st.st_mode & (S_IRGRP | S_IROTH)) != 0)
		g_ptr_array_add(config->warnings,
		                g_strdup_printf(_("%s: holds %s but other users can read it; run: "
		                                  "chmod 600 %s"),
		                                path,
		                                has_token      ? _("an API token")
		                                : has_password ? _("a proxy password")
		                                               : _("the relay's password"),
		                                path));
}

char *
sr_config_default_path(void)
{
	return g_build_filename(g_get_user_config_dir(), "sirena", "sirena.conf", NULL);
}

SrConfig *
sr_config_load(const char *path, const SrCatalog *catalog, GError **error)
{
	g_autofree char *default_path = NULL;
	g_autofree char *data = NULL;
	g_autoptr(GError) local_error = NULL;
	SrConfig *config = NULL;
	gsize len = 0;

	if (path == NULL) {
		default_path = sr_config_default_path();
		if (!g_file_test(default_path, G_FILE_TEST_EXISTS))
			return sr_config_new_default(catalog);
		path = default_path;
	}
	if (!g_file_get_contents(path, &data, &len, &local_error)) {
		g_set_error(error, SR_ERROR, SR_ERROR_CONFIG,
		            _("cannot read the configuration: %s"), local_error->message);
		return NULL;
	}
	config = sr_config_load_data(data, len, path, catalog, error);
	if (config != NULL)
		check_permissions(config, path);
	return config;
}

GPtrArray *
sr_config_get_enabled_sources(const SrConfig *config)
{
	GPtrArray *enabled = g_ptr_array_new();
	for (guint i = 0; i < config->sources->len; i++) {
		SrSourceConfig *source = g_ptr_array_index(config->sources, i);
		if (source->enabled)
			g_ptr_array_add(enabled, source);
	}
	return enabled;
}
