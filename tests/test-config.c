/* test-config.c - the configuration file: good files, bad files, clear messages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "sirena/config.h"
#include "sirena/error.h"
#include "sirena/geo.h"
#include "sr-test-util.h"

static SrConfig *
load(const char *text, GError **error)
{
	return sr_config_load_data(text, strlen(text), "test.conf", sr_test_catalog(), error);
}

static void
assert_error(const char *text, const char *expected)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SrConfig) config = load(text, &error);
	g_assert_null(config);
	g_assert_error(error, SR_ERROR, SR_ERROR_CONFIG);
	if (strstr(error->message, expected) == NULL)
		g_error("expected '%s' in: %s", expected, error->message);
}

static void
test_full(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SrConfig) config =
	    load("# comment\n"
	         "[sirena]\n"
	         "regions=ua:31;Вишгородський район; Kharkivskyi Raion ;124\n"
	         "location=50.4501,30.5234\n"
	         "\n"
	         "[source alerts_in_ua]\n"
	         "type=alerts_in_ua\n"
	         "token=  secret-token  \n"
	         "interval=20\n"
	         "\n"
	         "[source mirror]\n"
	         "type=siren_pp_ua\n"
	         "url=http://127.0.0.1:8080/\n"
	         "interval=0.5\n"
	         "stale_after=3\n"
	         "\n"
	         "[source ubilling]\n"
	         "enabled=false\n"
	         "[notify]\n"
	         "quiet-hours=23:00-07:00\n",
	         &error);
	const SrSourceConfig *aiu = NULL;
	const SrSourceConfig *mirror = NULL;
	g_autoptr(GPtrArray) enabled = NULL;
	g_assert_no_error(error);
	g_assert_cmpuint(config->regions->len, ==, 4);
	g_assert_cmpstr(g_ptr_array_index(config->regions, 0), ==, "ua:31");
	g_assert_cmpstr(g_ptr_array_index(config->regions, 1), ==, "ua:74");
	g_assert_cmpstr(g_ptr_array_index(config->regions, 2), ==, "ua:124");
	g_assert_cmpstr(g_ptr_array_index(config->regions, 3), ==, "ua:124");
	g_assert_true(config->location->has_point);
	g_assert_cmpfloat_with_epsilon(config->location->lat, 50.4501, 1e-9);
	g_assert_cmpfloat_with_epsilon(config->location->lon, 30.5234, 1e-9);
	g_assert_cmpuint(config->sources->len, ==, 3);
	aiu = g_ptr_array_index(config->sources, 0);
	g_assert_cmpstr(aiu->name, ==, "alerts_in_ua");
	g_assert_cmpstr(aiu->token, ==, "secret-token");
	g_assert_cmpstr(aiu->url, ==, "https://api.alerts.in.ua");
	g_assert_cmpfloat(aiu->interval, ==, 20);
	mirror = g_ptr_array_index(config->sources, 1);
	g_assert_cmpstr(mirror->ops->type, ==, "siren_pp_ua");
	g_assert_cmpstr(mirror->url, ==, "http://127.0.0.1:8080");
	g_assert_cmpfloat(mirror->interval, ==, 0.5);
	g_assert_cmpfloat(mirror->stale_after, ==, 3);
	/* a group named after a type needs no type= */
	g_assert_cmpstr(((SrSourceConfig *)g_ptr_array_index(config->sources, 2))->ops->type, ==,
	                "ubilling");
	enabled = sr_config_get_enabled_sources(config);
	g_assert_cmpuint(enabled->len, ==, 2);
	g_assert_cmpuint(config->warnings->len, ==, 0);
}

static void
test_errors_name_line_and_key(void)
{
	assert_error("[sirena]\nregions=ua:31\n[source x]\ntype=alerts_in_ua\ntoken=t\n"
	             "interval=fast\n",
	             "test.conf:6: [source x] interval: 'fast' is not a number of seconds");
	/* every type the registry knows, in its order: the list grows with each new source */
	{
		const SrSourceOps *const *all = sr_source_registry_all();
		g_autoptr(GString) expected = g_string_new(
		    "test.conf:2: [source x] type: unknown source type 'nope' (expected one of: ");
		for (guint i = 0; all[i] != NULL; i++)
			g_string_append_printf(expected, "%s%s", i > 0 ? ", " : "", all[i]->type);
		g_string_append(expected, ")");
		assert_error("[source x]\ntype=nope\n", expected->str);
	}
	assert_error("[source x]\ntype=alerts_in_ua\n", "[source x] token: source type "
	                                                "alerts_in_ua needs an API token");
	assert_error("[source x]\n\ntype=ukraine_alarm\ntoken=\n", "test.conf:4: [source x] token");
	assert_error("[source x]\ntype=ubilling\nenabled=maybe\n",
	             "test.conf:3: [source x] enabled: 'maybe' is not true or false");
	assert_error("[source x]\ntype=ubilling\nurl=http://example.com\n",
	             "test.conf:3: [source x] url:");
	assert_error("[source x]\ntype=ubilling\nurl=ftp://127.0.0.1/\n", "[source x] url:");
	assert_error("[sirena]\nregions=Атлантида\n",
	             "test.conf:2: [sirena] regions: no region 'Атлантида'");
	assert_error("[sirena]\nregions=Ямпільська територіальна громада\n", "ambiguous");
	assert_error("[sirena]\nlocation=50.4\n", "test.conf:2: [sirena] location:");
	assert_error("[sirena]\nlocation=95,30\n", "[sirena] location:");
	assert_error("[notify]\nquiet-hours=late\n", "test.conf:2: [notify] quiet-hours:");
	assert_error("[sirena]\nregions\n", "test.conf:2: expected 'key=value'");
	assert_error("[sirena\n", "test.conf:1: a group header needs a closing ']'");
	assert_error("[source bad name!]\ntype=ubilling\n", "a source name may use");
	assert_error("[source x]\nfoo=bar\n", "test.conf:1: [source x]: missing type=");
	assert_error("[source x]\ntype=ubilling\nenabled=false\n", "every source is disabled");
	assert_error("[source x]\ntype=ubilling\ninterval=-1\n", "[source x] interval");
	assert_error("\xff\xfe[sirena]\n", "not a UTF-8 text file");
}

static void
test_secrets_not_echoed(void)
{
	/* a token wrapped onto a second line, a line that is all value, a tab in a token */
	static const char *const texts[] = {
	    "[source a]\ntype=alerts_in_ua\ntoken=dGhpcyBpcyBhIHNl\nY3JldCB0b2tlbg==\n",
	    "[source a]\ntype=alerts_in_ua\ntoken=x\n =SECRET123\n",
	    "[source a]\ntype=alerts_in_ua\ntoken=abc\tSECRET123\n",
	};
	for (guint i = 0; i < G_N_ELEMENTS(texts); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(SrConfig) config = load(texts[i], &error);
		if (error != NULL) {
			g_assert_null(strstr(error->message, "SECRET"));
			g_assert_nonnull(strstr(error->message, "test.conf:"));
		}
		for (guint j = 0; config != NULL && j < config->warnings->len; j++) {
			const char *warning = g_ptr_array_index(config->warnings, j);
			g_assert_null(strstr(warning, "Y3JldCB0b2tlbg"));
			g_assert_nonnull(strstr(warning, "not shown"));
		}
	}
}

static void
test_repeated_key_line(void)
{
	/* GKeyFile keeps the last value: the error points at it */
	assert_error("[source a]\ntype=ubilling\ninterval=10\ninterval=abc\n",
	             "test.conf:4: [source a] interval: 'abc'");
}

static void
test_location(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SrConfig) config =
	    load("[sirena]\nlocation= 34.0522 , -118.2437 \nradius=2.5\n"
	         "geocodes=SAME=006037; UGC = CAZ041 ;ARS=091620000000;EMMA_ID=DE413;\n",
	         &error);
	const SrGeocode *geocode = NULL;
	g_assert_no_error(error);
	g_assert_true(sr_location_is_set(config->location));
	g_assert_true(config->location->has_point);
	g_assert_cmpfloat_with_epsilon(config->location->lat, 34.0522, 1e-9);
	g_assert_cmpfloat_with_epsilon(config->location->lon, -118.2437, 1e-9);
	g_assert_cmpfloat(config->location->radius_km, ==, 2.5);
	g_assert_cmpuint(config->location->geocodes->len, ==, 4);
	geocode = g_ptr_array_index(config->location->geocodes, 0);
	g_assert_cmpstr(geocode->name, ==, "SAME");
	g_assert_cmpstr(geocode->value, ==, "006037");
	geocode = g_ptr_array_index(config->location->geocodes, 1);
	g_assert_cmpstr(geocode->name, ==, "UGC");
	g_assert_cmpstr(geocode->value, ==, "CAZ041");
	geocode = g_ptr_array_index(config->location->geocodes, 3);
	g_assert_cmpstr(geocode->name, ==, "EMMA_ID");
	g_assert_cmpstr(geocode->value, ==, "DE413");
	/* known keys: the only warning is about the missing source */
	g_assert_cmpuint(config->warnings->len, ==, 1);
	g_assert_nonnull(strstr(g_ptr_array_index(config->warnings, 0), "no [source NAME] group"));
}

static void
test_location_partial(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SrConfig) none = load("[sirena]\nregions=ua:31\n", &error);
	g_autoptr(SrConfig) empty = NULL;
	g_autoptr(SrConfig) codes = NULL;
	g_autoptr(SrConfig) point = NULL;
	g_autoptr(SrConfig) builtin = sr_config_new_default(sr_test_catalog());
	/* nothing set: an empty location, never NULL */
	g_assert_no_error(error);
	g_assert_nonnull(none->location);
	g_assert_false(sr_location_is_set(none->location));
	g_assert_nonnull(builtin->location);
	g_assert_false(sr_location_is_set(builtin->location));
	/* empty values set nothing, as for every other key */
	empty = load("[sirena]\nlocation=\nradius=\ngeocodes=\n", &error);
	g_assert_no_error(error);
	g_assert_false(sr_location_is_set(empty->location));
	/* geocodes alone are a location; a point alone has radius 0 */
	codes = load("[sirena]\ngeocodes=UGC=CAZ041\n", &error);
	g_assert_no_error(error);
	g_assert_true(sr_location_is_set(codes->location));
	g_assert_false(codes->location->has_point);
	point = load("[sirena]\nlocation=-90,180\n", &error);
	g_assert_no_error(error);
	g_assert_true(point->location->has_point);
	g_assert_cmpfloat(point->location->radius_km, ==, 0);
	g_assert_cmpuint(point->location->geocodes->len, ==, 0);
	/* both ends of the radius range */
	{
		g_autoptr(SrConfig) widest = load("[sirena]\nlocation=50,30\nradius=500\n", &error);
		g_autoptr(SrConfig) zero = NULL;
		g_assert_no_error(error);
		g_assert_cmpfloat(widest->location->radius_km, ==, 500);
		zero = load("[sirena]\nlocation=50,30\nradius=0\n", &error);
		g_assert_no_error(error);
		g_assert_cmpfloat(zero->location->radius_km, ==, 0);
	}
}

static void
test_location_errors(void)
{
	static const struct {
		const char *text;
		const char *expected;
	} cases[] = {
	    {"[sirena]\nlocation=91,30\n",
	     "test.conf:2: [sirena] location: '91,30' is not 'latitude,longitude' in decimal "
	     "degrees, latitude -90 to 90 and longitude -180 to 180"},
	    {"[sirena]\nlocation=50,181\n", "test.conf:2: [sirena] location: '50,181'"},
	    {"[sirena]\nlocation=50.4\n", "test.conf:2: [sirena] location: '50.4' is not"},
	    {"[sirena]\nlocation=a,b\n", "test.conf:2: [sirena] location: 'a,b' is not"},
	    {"[sirena]\nlocation=50,30,1\n", "test.conf:2: [sirena] location: '50,30,1'"},
	    {"[sirena]\nlocation=50,\n", "test.conf:2: [sirena] location: '50,'"},
	    {"[sirena]\nlocation=nan,30\n", "test.conf:2: [sirena] location: 'nan,30'"},
	    {"[sirena]\nlocation=5e1,30\n", "test.conf:2: [sirena] location: '5e1,30'"},
	    {"[sirena]\nregions=ua:31\nradius=5\n",
	     "test.conf:3: [sirena] radius: a radius needs location=latitude,longitude"},
	    {"[sirena]\nlocation=50,30\nradius=-1\n",
	     "test.conf:3: [sirena] radius: '-1' is not a distance in km from 0 to 500 "
	     "(e.g. radius=5)"},
	    {"[sirena]\nlocation=50,30\nradius=1000\n", "test.conf:3: [sirena] radius: '1000'"},
	    {"[sirena]\nlocation=50,30\nradius=500.1\n", "test.conf:3: [sirena] radius: '500.1'"},
	    {"[sirena]\nlocation=50,30\nradius=5km\n", "test.conf:3: [sirena] radius: '5km'"},
	    {"[sirena]\ngeocodes=SAME\n",
	     "test.conf:2: [sirena] geocodes: 'SAME' is not NAME=VALUE (expected NAME=VALUE "
	     "items separated by ';', e.g. geocodes=SAME=006037;UGC=CAZ041)"},
	    {"[sirena]\ngeocodes==1\n", "test.conf:2: [sirena] geocodes: '=1' has no name"},
	    {"[sirena]\ngeocodes=X=\n", "test.conf:2: [sirena] geocodes: 'X=' has no value"},
	    {"[sirena]\ngeocodes=UGC=CAZ041;X= \n",
	     "test.conf:2: [sirena] geocodes: 'X=' has no value"},
	    {"[sirena]\ngeocodes=S.A.M.E=006037\n",
	     "test.conf:2: [sirena] geocodes: 'S.A.M.E=006037' has a name that is not only"},
	    {"[sirena]\ngeocodes=UGC=CAZ\\x041\n",
	     "test.conf:2: [sirena] geocodes: the value has an invalid escape sequence"},
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++)
		assert_error(cases[i].text, cases[i].expected);
}

static void
test_notify_rules(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SrConfig) config = load("[notify]\nsound=false\nquiet-hours=23:30-07:15\n"
	                                  "[notify weather]\nnotify=false\n"
	                                  "[notify artillery]\nurgency=normal\nsound=false\n"
	                                  "bypass-quiet=true\n",
	                                  &error);
	const SrNotifySettings *notify = NULL;
	g_assert_no_error(error);
	notify = &config->notify;
	g_assert_false(notify->sound);
	g_assert_true(notify->has_quiet_hours);
	g_assert_cmpuint(notify->quiet_start, ==, 23 * 60 + 30);
	g_assert_cmpuint(notify->quiet_end, ==, 7 * 60 + 15);
	g_assert_false(notify->rules[SR_KIND_WEATHER].notify);
	g_assert_cmpint(notify->rules[SR_KIND_ARTILLERY].urgency, ==, SR_NOTIFY_URGENCY_NORMAL);
	/* written, so it holds as written; a kind without urgency= keeps Sirena's rules */
	g_assert_true(notify->rules[SR_KIND_ARTILLERY].urgency_set);
	g_assert_false(notify->rules[SR_KIND_AIR_RAID].urgency_set);
	g_assert_false(notify->rules[SR_KIND_ARTILLERY].sound);
	g_assert_true(notify->rules[SR_KIND_ARTILLERY].bypass_quiet);
	/* untouched kinds keep their defaults: air raids are loud and bypass quiet hours */
	g_assert_true(notify->rules[SR_KIND_AIR_RAID].notify);
	g_assert_cmpint(notify->rules[SR_KIND_AIR_RAID].urgency, ==, SR_NOTIFY_URGENCY_CRITICAL);
	g_assert_true(notify->rules[SR_KIND_AIR_RAID].bypass_quiet);
	/* the one warning is about the missing source, none about the notify groups */
	g_assert_cmpuint(config->warnings->len, ==, 1);
	g_assert_nonnull(strstr(g_ptr_array_index(config->warnings, 0), "no [source NAME] group"));

	assert_error("[notify drone]\nnotify=false\n", "test.conf:1: [notify drone]: 'drone' is "
	                                               "not a kind of alert");
	assert_error("[notify uav]\nurgency=loud\n",
	             "test.conf:2: [notify uav] urgency: 'loud' is not low, normal or critical");
	assert_error("[notify uav]\nsound=maybe\n", "test.conf:2: [notify uav] sound:");
	assert_error("[notify]\nsound=loud\n", "test.conf:2: [notify] sound:");
}

static void
test_warnings(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SrConfig) config = load("[sirena]\ncolour=blue\n[source x]\ntype=ubilling\n"
	                                  "speed=9\ninterval=1\n[extra]\na=b\n",
	                                  &error);
	g_autoptr(GString) all = g_string_new(NULL);
	g_assert_no_error(error);
	for (guint i = 0; i < config->warnings->len; i++)
		g_string_append_printf(all, "%s\n",
		                       (const char *)g_ptr_array_index(config->warnings, i));
	g_assert_nonnull(strstr(all->str, "test.conf:2: [sirena] colour: unknown key, ignored"));
	g_assert_nonnull(strstr(all->str, "test.conf:5: [source x] speed: unknown key, ignored"));
	g_assert_nonnull(strstr(all->str, "test.conf:6: [source x] interval: 1 s is faster"));
	g_assert_nonnull(strstr(all->str, "test.conf:7: [extra]: unknown group"));
}

static void
test_proxy(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SrConfig) config =
	    load("[source il]\ntype=ubilling\nproxy= http://alice:S3CRET@proxy.example:3128 \n"
	         "[source direct]\ntype=siren_pp_ua\n"
	         "[source empty]\ntype=ubilling\nproxy=\n"
	         "[source tor]\ntype=ubilling\nproxy=socks5h://127.0.0.1:9050\n",
	         &error);
	const SrSourceConfig *source = NULL;
	g_assert_no_error(error);
	g_assert_cmpuint(config->sources->len, ==, 4);
	source = g_ptr_array_index(config->sources, 0);
	g_assert_cmpstr(source->proxy, ==, "http://alice:S3CRET@proxy.example:3128");
	/* no proxy= and an empty one: the environment's proxy settings */
	source = g_ptr_array_index(config->sources, 1);
	g_assert_null(source->proxy);
	source = g_ptr_array_index(config->sources, 2);
	g_assert_null(source->proxy);
	source = g_ptr_array_index(config->sources, 3);
	g_assert_cmpstr(source->proxy, ==, "socks5h://127.0.0.1:9050");
	/* a generic key: no "unknown key" warning for any type */
	g_assert_cmpuint(config->warnings->len, ==, 0);
}

static void
test_proxy_errors(void)
{
	static const struct {
		const char *text;
		const char *expected;
	} cases[] = {
	    {"[source x]\ntype=ubilling\n\nproxy=ftp://u:S3CRET@proxy.example:21\n",
	     "test.conf:4: [source x] proxy: proxy scheme not allowed: 'ftp'"},
	    {"[source x]\ntype=ubilling\nproxy=u:S3CRET@proxy.example:3128\n",
	     "test.conf:3: [source x] proxy: the proxy URL needs a scheme"},
	    {"[source x]\ntype=ubilling\nproxy=http://u:S3CRET@proxy.example:3128/x\n",
	     "test.conf:3: [source x] proxy: a proxy URL may not have a path"},
	    {"[source x]\ntype=ubilling\nproxy=http://u:S3CRET@proxy example:3128\n",
	     "test.conf:3: [source x] proxy: invalid proxy URL"},
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(SrConfig) config = load(cases[i].text, &error);
		g_assert_null(config);
		g_assert_error(error, SR_ERROR, SR_ERROR_CONFIG);
		if (strstr(error->message, cases[i].expected) == NULL)
			g_error("expected '%s' in: %s", cases[i].expected, error->message);
		/* what is expected is said, what was written is not: it may hold a password */
		g_assert_nonnull(strstr(error->message, "SCHEME://[USER:PASSWORD@]HOST:PORT"));
		g_assert_null(strstr(error->message, "S3CRET"));
		g_assert_null(strstr(error->message, "proxy.example"));
	}
}

static void
test_proxy_offline_source(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SrConfig) config =
	    load("[source demo]\ntype=replay\nproxy=http://127.0.0.1:3128\n", &error);
	g_assert_no_error(error);
	g_assert_cmpuint(config->warnings->len, ==, 1);
	g_assert_cmpstr(g_ptr_array_index(config->warnings, 0), ==,
	                "test.conf:3: [source demo] proxy: source type replay reads no network; "
	                "ignored");
}

static void
test_defaults(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SrConfig) empty = load("", &error);
	g_autoptr(SrConfig) none = NULL;
	g_autofree char *path = NULL;
	g_assert_no_error(error);
	/* no source at all would be silence that looks like calm: the keyless one is used */
	g_assert_cmpuint(empty->sources->len, ==, 1);
	g_assert_cmpstr(((SrSourceConfig *)g_ptr_array_index(empty->sources, 0))->ops->type, ==,
	                "ubilling");
	/* no file at the default path (isolated dirs): the built-in defaults */
	path = sr_config_default_path();
	g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
	none = sr_config_load(NULL, sr_test_catalog(), &error);
	g_assert_no_error(error);
	g_assert_null(none->path);
	g_assert_cmpuint(none->sources->len, ==, 1);
	g_assert_cmpuint(none->regions->len, ==, 0);
}

static void
test_missing_file(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SrConfig) config =
	    sr_config_load("/nonexistent/sirena.conf", sr_test_catalog(), &error);
	g_assert_null(config);
	g_assert_error(error, SR_ERROR, SR_ERROR_CONFIG);
	g_assert_nonnull(strstr(error->message, "/nonexistent/sirena.conf"));
}

static void
test_permissions(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *dir = g_dir_make_tmp("sirena-config-XXXXXX", &error);
	g_autofree char *path = g_build_filename(dir, "sirena.conf", NULL);
	g_autoptr(SrConfig) open_config = NULL;
	g_autoptr(SrConfig) private_config = NULL;
	const char *text = "[source a]\ntype=alerts_in_ua\ntoken=abc\n";
	g_assert_no_error(error);
	g_assert_true(g_file_set_contents(path, text, -1, NULL));
	g_assert_cmpint(g_chmod(path, 0644), ==, 0);
	open_config = sr_config_load(path, sr_test_catalog(), &error);
	g_assert_no_error(error);
	g_assert_cmpuint(open_config->warnings->len, ==, 1);
	g_assert_nonnull(strstr(g_ptr_array_index(open_config->warnings, 0), "chmod 600"));
	/* the warning says where, never what the token is */
	g_assert_null(strstr(g_ptr_array_index(open_config->warnings, 0), "abc"));
	g_assert_cmpint(g_chmod(path, 0600), ==, 0);
	private_config = sr_config_load(path, sr_test_catalog(), &error);
	g_assert_no_error(error);
	g_assert_cmpuint(private_config->warnings->len, ==, 0);
	g_clear_pointer(&open_config, sr_config_free);

	/* a proxy password is as much a secret as a token */
	text = "[source il]\ntype=ubilling\nproxy=http://alice:S3CRET@proxy.example:3128\n";
	g_assert_true(g_file_set_contents(path, text, -1, NULL));
	g_assert_cmpint(g_chmod(path, 0644), ==, 0);
	open_config = sr_config_load(path, sr_test_catalog(), &error);
	g_assert_no_error(error);
	g_assert_cmpuint(open_config->warnings->len, ==, 1);
	g_assert_nonnull(strstr(g_ptr_array_index(open_config->warnings, 0), "proxy password"));
	g_assert_nonnull(strstr(g_ptr_array_index(open_config->warnings, 0), "chmod 600"));
	g_assert_null(strstr(g_ptr_array_index(open_config->warnings, 0), "S3CRET"));
	g_unlink(path);
	g_rmdir(dir);
}

static void
test_example_file(void)
{
	/* the shipped example must itself be a valid configuration without warnings */
	g_autoptr(GError) error = NULL;
	g_autofree char *path =
	    g_test_build_filename(G_TEST_DIST, "..", "data", "sirena.conf.example", NULL);
	g_autoptr(SrConfig) config = sr_config_load(path, sr_test_catalog(), &error);
	g_assert_no_error(error);
	for (guint i = 0; i < config->warnings->len; i++) {
		const char *warning = g_ptr_array_index(config->warnings, i);
		/* a fresh checkout's permissions are not the example's business */
		if (strstr(warning, "chmod") == NULL)
			g_error("unexpected warning: %s", warning);
	}
}

/* a source type's own keys are checked when the file is read, not at the first poll */
static void
test_source_keys_checked(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SrConfig) config = NULL;
	assert_error("[source w]\ntype=nws\npoint=34.05,-118.24\n",
	             "test.conf:1: [source w]: source 'w' needs contact=");
	assert_error("[source w]\ntype=nws\ncontact=me@example.org\n", "point=");
	assert_error("[source n]\ntype=nina\nars=1234\n", "ars= must be a 12-digit");
	assert_error("[source m]\ntype=meteoalarm\ncountry=Germany!\n", "country=");
	assert_error("[source c]\ntype=cap_feed\n", "needs url=");
	/* a disabled source may be incomplete */
	config = load("[source w]\ntype=nws\nenabled=false\n[source u]\ntype=ubilling\n", &error);
	g_assert_no_error(error);
	g_assert_nonnull(config);
	g_clear_pointer(&config, sr_config_free);
	config = load("[source n]\ntype=nina\nars=091620000000\n[source m]\ntype=meteoalarm\n"
	              "country=germany\n",
	              &error);
	g_assert_no_error(error);
	g_assert_cmpuint(config->sources->len, ==, 2);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
	g_test_add_func("/sr/config/full", test_full);
	g_test_add_func("/sr/config/source-keys-checked", test_source_keys_checked);
	g_test_add_func("/sr/config/errors", test_errors_name_line_and_key);
	g_test_add_func("/sr/config/location", test_location);
	g_test_add_func("/sr/config/location-partial", test_location_partial);
	g_test_add_func("/sr/config/location-errors", test_location_errors);
	g_test_add_func("/sr/config/warnings", test_warnings);
	g_test_add_func("/sr/config/notify-rules", test_notify_rules);
	g_test_add_func("/sr/config/secrets-not-echoed", test_secrets_not_echoed);
	g_test_add_func("/sr/config/repeated-key-line", test_repeated_key_line);
	g_test_add_func("/sr/config/proxy", test_proxy);
	g_test_add_func("/sr/config/proxy-errors", test_proxy_errors);
	g_test_add_func("/sr/config/proxy-offline-source", test_proxy_offline_source);
	g_test_add_func("/sr/config/defaults", test_defaults);
	g_test_add_func("/sr/config/missing-file", test_missing_file);
	g_test_add_func("/sr/config/permissions", test_permissions);
	g_test_add_func("/sr/config/example", test_example_file);
	return g_test_run();
}
