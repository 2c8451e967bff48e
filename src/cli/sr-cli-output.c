/* sr-cli-output.c - human output of alerts and changes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sirena"

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "cli/sr-cli.h"
#include "sirena/json.h"

static const char *const kind_labels[SR_KIND_LAST] = {
    "Air raid alert",
    "Missile threat",
    "Hostile aircraft (drones)",
    "Artillery shelling",
    "Urban fighting",
    "Chemical threat",
    "Radiation threat",
    "Hazardous materials",
    "Earthquake",
    "Tsunami",
    "Infiltration",
    "Weather warning",
    "Flood warning",
    "Fire warning",
    "Health warning",
    "Civil emergency",
    "Alert",
    "Alert (unknown type)",
};

const char *
sr_cli_kind_label(SrKind kind)
{
	if ((guint)kind >= SR_KIND_LAST)
		return kind_labels[SR_KIND_UNKNOWN];
	return kind_labels[kind];
}

/* whether the messages locale is in @language ("uk" for "uk_UA.UTF-8") */
gboolean
sr_cli_latin(void)
{
	/* region names in Ukrainian for a Ukrainian locale, Latin script otherwise */
	return !sr_locale_is("uk");
}

const char *
sr_cli_region_name(const SrCatalog *catalog, const char *id)
{
	const SrRegion *region = sr_catalog_lookup(catalog, id);
	if (region == NULL)
		return id;
	return sr_region_local_name(region);
}

char *
sr_cli_local_time(gint64 t, gint64 now)
{
	g_autoptr(GDateTime) utc = NULL;
	g_autoptr(GDateTime) local = NULL;
	g_autoptr(GDateTime) local_now = NULL;
	if (t == 0)
		return g_strdup("an unknown time");
	utc = g_date_time_new_from_unix_utc(t);
	if (utc == NULL)
		return g_strdup("an unknown time");
	local = g_date_time_to_local(utc);
	local_now = g_date_time_new_from_unix_local(now);
	/* today: the clock time is enough; earlier: the date too */
	if (local_now != NULL && g_date_time_get_year(local) == g_date_time_get_year(local_now) &&
	    g_date_time_get_day_of_year(local) == g_date_time_get_day_of_year(local_now))
		return g_date_time_format(local, "%H:%M");
	return g_date_time_format(local, "%Y-%m-%d %H:%M");
}

static char *
format_duration(gint64 seconds)
{
	if (seconds < 60)
		return g_strdup_printf("%" G_GINT64_FORMAT " s", MAX(seconds, 0));
	if (seconds < 3600)
		return g_strdup_printf("%" G_GINT64_FORMAT " min", seconds / 60);
	if (seconds < 86400 * 2)
		return g_strdup_printf("%" G_GINT64_FORMAT " h %02" G_GINT64_FORMAT " min",
		                       seconds / 3600, (seconds % 3600) / 60);
	return g_strdup_printf("%" G_GINT64_FORMAT " days", seconds / 86400);
}

/* "Kyiv Oblast (covers Bucha Hromada)": says where, when the alert is not exactly at a
 * subscribed region */
static void
append_place(GString *out, const SrAlert *alert, const SrCatalog *catalog, GPtrArray *subscriptions)
{
	const SrEvent *event = alert->event;
	if (event->regions->len == 0) {
		g_string_append(out, event->area.description != NULL ? event->area.description
		                                                     : "an unnamed area");
		return;
	}
	for (guint i = 0; i < event->regions->len; i++) {
		const char *id = g_ptr_array_index(event->regions, i);
		const SrRegion *region = sr_catalog_lookup(catalog, id);
		if (i > 0)
			g_string_append(out, ", ");
		if (region == NULL) {
			/* shown even to subscribers elsewhere: where it is cannot be known */
			g_string_append_printf(out, "%s (%s, not in Sirena's region list)",
			                       event->area.description != NULL
			                           ? event->area.description
			                           : "an unknown region",
			                       id);
		} else {
			g_string_append(out, sr_cli_region_name(catalog, id));
		}
		for (guint j = 0; subscriptions != NULL && j < subscriptions->len; j++) {
			const char *sub_id = g_ptr_array_index(subscriptions, j);
			const SrRegion *sub = sr_catalog_lookup(catalog, sub_id);
			if (region == NULL || sub == NULL || sub == region)
				continue;
			if (sr_region_is_within(sub, region))
				g_string_append_printf(out, " (covers %s)",
				                       sr_region_local_name(sub));
			else if (sr_region_is_within(region, sub))
				g_string_append_printf(out, " (in %s)", sr_region_local_name(sub));
		}
	}
}

static const char *
severity_note(const SrEvent *event)
{
	if (event->kind == SR_KIND_AIR_RAID && event->severity == SR_SEVERITY_SEVERE)
		return " [lower level]";
	return "";
}

/* the phases before and after the alert proper are not the threat itself: nobody should take
 * a pre-alert for the siren or stay-near for the all-clear */
static const char *
phase_note(const SrEvent *event)
{
	switch (event->phase) {
	case SR_PHASE_PRE_ALERT:
		return " [pre-alert: alerts expected within minutes]";
	case SR_PHASE_STAY_NEAR:
		return " [you may leave the shelter, but stay near it]";
	default:
		return "";
	}
}

/* " — shelter 90 s": the time to reach a protected space at the alert's area or, for an alert
 * at a zone or the whole country, at the subscribed areas inside it, named when there was a
 * choice */
static void
append_shelter(GString *out, const SrEvent *event, const SrCatalog *catalog,
               GPtrArray *subscriptions)
{
	guint candidates = 0;
	const SrRegion *best = NULL;

	if (event->phase != SR_PHASE_ACTIVE)
		return;
	best = sr_catalog_shelter_area(catalog, event->regions, subscriptions, &candidates);
	if (best == NULL)
		return;
	g_string_append(out, " — ");
	if (candidates > 1)
		g_string_append_printf(out, "%s: ", sr_region_local_name(best));
	if (best->shelter_seconds == 0)
		g_string_append(out, "shelter immediately");
	else
		g_string_append_printf(out, "shelter %d s", best->shelter_seconds);
}

char *
sr_cli_format_alert(const SrAlert *alert, const SrCatalog *catalog, GPtrArray *subscriptions,
                    gint64 now)
{
	GString *out = g_string_new(NULL);
	g_autofree char *since = sr_cli_local_time(alert->event->started_at, now);
	/* an alert that names an area (CAP) says what it is in its headline */
	if (alert->event->regions->len == 0 && alert->event->headline != NULL)
		g_string_append_printf(out, "🔴 %s%s — ", alert->event->headline,
		                       phase_note(alert->event));
	else
		g_string_append_printf(out, "🔴 %s%s%s — ", sr_cli_kind_label(alert->event->kind),
		                       severity_note(alert->event), phase_note(alert->event));
	append_place(out, alert, catalog, subscriptions);
	append_shelter(out, alert->event, catalog, subscriptions);
	g_string_append_printf(out, " — since %s", since);
	if (alert->event->description != NULL)
		g_string_append_printf(out, " — %s", alert->event->description);
	return g_string_free(out, FALSE);
}

char *
sr_cli_format_change(const SrChange *change, const SrCatalog *catalog, GPtrArray *subscriptions)
{
	GString *out = NULL;
	const SrSourceHealth *health = change->source;
	const SrEvent *event = change->alert != NULL ? change->alert->event : NULL;

	switch (change->type) {
	case SR_CHANGE_STARTED: {
		g_autofree char *line =
		    sr_cli_format_alert(change->alert, catalog, subscriptions, change->at);
		if (change->baseline)
			return g_strdup_printf("%s (already going on)", line);
		return g_steal_pointer(&line);
	}
	case SR_CHANGE_UPDATED: {
		g_autofree char *line =
		    sr_cli_format_alert(change->alert, catalog, subscriptions, change->at);
		/* replace the leading mark: an update is not a new alert, but one that turns into
		 * the threat itself (the siren after a pre-alert, yellow turned red) stays red */
		gboolean threat =
		    event->phase == SR_PHASE_ACTIVE && event->severity == SR_SEVERITY_EXTREME;
		return g_strdup_printf("%s Update: %s", threat ? "🔴" : "🟠", line + strlen("🔴 "));
	}
	case SR_CHANGE_ENDED: {
		g_autofree char *at = sr_cli_local_time(change->at, change->at);
		g_autofree char *lasted =
		    event->started_at != 0 ? format_duration(change->at - event->started_at) : NULL;
		/* why it ended, so that an all-clear nobody upstream announced ("expired without
		 * an end message") is not taken for one they did */
		const char *reason =
		    change->reason != NULL && change->reason[0] != '\0' ? change->reason : NULL;
		out = g_string_new("🟢 All clear — ");
		append_place(out, change->alert, catalog, subscriptions);
		g_string_append_printf(out, " — %s over at %s", sr_cli_kind_label(event->kind), at);
		if (lasted != NULL && reason != NULL)
			g_string_append_printf(out, " (lasted %s; %s)", lasted, reason);
		else if (lasted != NULL)
			g_string_append_printf(out, " (lasted %s)", lasted);
		else if (reason != NULL)
			g_string_append_printf(out, " (%s)", reason);
		return g_string_free(out, FALSE);
	}
	case SR_CHANGE_SOURCE:
	default: {
		g_autofree char *since = sr_cli_local_time(health->down_since, change->at);
		if (health->state == SR_SOURCE_STATE_OK)
			return g_strdup_printf(
			    "✅ Source %s is back: alerts from it are current again", health->name);
		return g_strdup_printf(
		    "⚠️  Source %s is down since %s (%s): alerts may be missed; "
		    "its last alerts are kept",
		    health->name, since, health->error != NULL ? health->error : "no answer");
	}
	}
}
