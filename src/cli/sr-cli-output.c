/* sr-cli-output.c - human output of alerts and changes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sirena"

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/sr-cli.h"
#include "sirena/json.h"
#include "sirena/notifier.h"

/* the same words as the notifications', so each is translated once */
static const char *const kind_labels[SR_KIND_LAST] = {
    N_("Air raid alert"),
    N_("Missile threat"),
    N_("Hostile aircraft (drones)"),
    N_("Artillery shelling"),
    N_("Urban fighting"),
    N_("Chemical threat"),
    N_("Radiation threat"),
    N_("Hazardous materials"),
    N_("Earthquake"),
    N_("Tsunami"),
    N_("Infiltration"),
    N_("Weather warning"),
    N_("Flood warning"),
    N_("Fire warning"),
    N_("Health warning"),
    N_("Civil emergency"),
    N_("Alert"),
    N_("Alert (unknown type)"),
};

const char *
sr_cli_kind_label(SrKind kind)
{
	if ((guint)kind >= SR_KIND_LAST)
		return _(kind_labels[SR_KIND_UNKNOWN]);
	return _(kind_labels[kind]);
}

/* terminal */

gboolean
sr_cli_symbols(void)
{
	return isatty(STDOUT_FILENO) == 1;
}

gboolean
sr_cli_color(void)
{
	/* https://no-color.org: any non-empty NO_COLOR turns colour off */
	const char *no_color = g_getenv("NO_COLOR");
	if (no_color != NULL && no_color[0] != '\0')
		return FALSE;
	if (g_strcmp0(g_getenv("TERM"), "dumb") == 0)
		return FALSE;
	return sr_cli_symbols();
}

char *
sr_cli_paint(const char *sgr, const char *text)
{
	if (!sr_cli_color())
		return g_strdup(text);
	return g_strdup_printf("\033[%sm%s\033[0m", sgr, text);
}

static gboolean progress_shown = FALSE;

void
sr_cli_progress(const char *fmt, ...)
{
	va_list args;
	g_autofree char *message = NULL;
	if (isatty(STDERR_FILENO) != 1)
		return;
	va_start(args, fmt);
	message = g_strdup_vprintf(fmt, args);
	va_end(args);
	/* one line, rewritten in place: carriage return, the text, erase the rest of the line */
	fprintf(stderr, "\r%s\033[K", message);
	fflush(stderr);
	progress_shown = TRUE;
}

void
sr_cli_progress_done(void)
{
	if (!progress_shown)
		return;
	fputs("\r\033[K", stderr);
	fflush(stderr);
	progress_shown = FALSE;
}

/* the symbol that starts a line, with its space, or "" when output is not a terminal */
static const char *
symbol(const char *mark)
{
	return sr_cli_symbols() ? mark : "";
}

const char *
sr_cli_region_name(const SrCatalog *catalog, const char *id)
{
	const SrRegion *region = sr_catalog_lookup(catalog, id);
	if (region == NULL)
		return id;
	/* the user's language: Ukrainian names under a Ukrainian locale, Hebrew ones for
	 * Israel under a Hebrew locale, Latin script otherwise */
	return sr_region_local_name(region);
}

char *
sr_cli_local_time(gint64 t, gint64 now)
{
	g_autoptr(GDateTime) utc = NULL;
	g_autoptr(GDateTime) local = NULL;
	g_autoptr(GDateTime) local_now = NULL;
	if (t == 0)
		return g_strdup(_("an unknown time"));
	utc = g_date_time_new_from_unix_utc(t);
	if (utc == NULL)
		return g_strdup(_("an unknown time"));
	local = g_date_time_to_local(utc);
	local_now = g_date_time_new_from_unix_local(now);
	/* today: the clock time is enough; earlier: the date too */
	if (local_now != NULL && g_date_time_get_year(local) == g_date_time_get_year(local_now) &&
	    g_date_time_get_day_of_year(local) == g_date_time_get_day_of_year(local_now))
		return g_date_time_format(local, "%H:%M");
	return g_date_time_format(local, "%Y-%m-%d %H:%M");
}

char *
sr_cli_format_duration(gint64 seconds)
{
	/* the same words as the notifications' */
	return sr_notifier_format_duration(seconds);
}

/* "Kyiv Oblast (covers Bucha Hromada)": says where, when the alert is not exactly at a
 * subscribed region */
static void
append_place(GString *out, const SrAlert *alert, const SrCatalog *catalog, GPtrArray *subscriptions)
{
	const SrEvent *event = alert->event;
	if (event->regions->len == 0) {
		g_string_append(out, event->area.description != NULL ? event->area.description
		                                                     : _("an unnamed area"));
		return;
	}
	for (guint i = 0; i < event->regions->len; i++) {
		const char *id = g_ptr_array_index(event->regions, i);
		const SrRegion *region = sr_catalog_lookup(catalog, id);
		if (i > 0)
			g_string_append(out, ", ");
		if (region == NULL) {
			/* shown even to subscribers elsewhere: where it is cannot be known */
			g_string_append_printf(out, _("%s (%s, not in Sirena's region list)"),
			                       event->area.description != NULL
			                           ? event->area.description
			                           : _("an unknown region"),
			                       id);
		} else {
			g_string_append(out, sr_cli_region_name(catalog, id));
		}
		for (guint j = 0; subscriptions != NULL && j < subscriptions->len; j++) {
			const char *sub_id = g_ptr_array_index(subscriptions, j);
			const SrRegion *sub = sr_catalog_lookup(catalog, sub_id);
			if (region == NULL || sub == NULL || sub == region)
				continue;
			g_string_append_c(out, ' ');
			if (sr_region_is_within(sub, region))
				g_string_append_printf(out, _("(covers %s)"),
				                       sr_region_local_name(sub));
			else if (sr_region_is_within(region, sub))
				g_string_append_printf(out, _("(in %s)"),
				                       sr_region_local_name(sub));
			else
				g_string_truncate(out, out->len - 1);
		}
	}
}

static void
append_severity_note(GString *out, const SrEvent *event)
{
	if (event->kind == SR_KIND_AIR_RAID && event->severity == SR_SEVERITY_SEVERE)
		g_string_append_printf(out, " %s", _("[lower level]"));
}

/* the phases before and after the alert proper are not the threat itself: nobody should take
 * a pre-alert for the siren or stay-near for the all-clear */
static void
append_phase_note(GString *out, const SrEvent *event)
{
	switch (event->phase) {
	case SR_PHASE_PRE_ALERT:
		g_string_append_printf(out, " %s",
		                       _("[pre-alert: alerts expected within minutes]"));
		break;
	case SR_PHASE_STAY_NEAR:
		g_string_append_printf(out, " %s",
		                       _("[you may leave the shelter, but stay near it]"));
		break;
	default:
		break;
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
		g_string_append(out, _("shelter immediately"));
	else
		g_string_append_printf(
		    out, SR_NGETTEXT("shelter %d s", "shelter %d s", best->shelter_seconds),
		    best->shelter_seconds);
}

/* an alert without its leading symbol: what, where, when */
static char *
format_alert_text(const SrAlert *alert, const SrCatalog *catalog, GPtrArray *subscriptions,
                  gint64 now, const char *sgr)
{
	GString *out = g_string_new(NULL);
	g_autoptr(GString) what = g_string_new(NULL);
	g_autofree char *painted = NULL;
	g_autofree char *since = sr_cli_local_time(alert->event->started_at, now);
	/* an alert that names an area (CAP) says what it is in its headline */
	if (alert->event->regions->len == 0 && alert->event->headline != NULL) {
		g_string_append(what, alert->event->headline);
	} else {
		g_string_append(what, sr_cli_kind_label(alert->event->kind));
		append_severity_note(what, alert->event);
	}
	append_phase_note(what, alert->event);
	painted = sr_cli_paint(sgr, what->str);
	g_string_append_printf(out, "%s — ", painted);
	append_place(out, alert, catalog, subscriptions);
	append_shelter(out, alert->event, catalog, subscriptions);
	g_string_append(out, " — ");
	if (alert->event->started_at != 0 && now - alert->event->started_at >= 60) {
		g_autofree char *lasting = sr_cli_format_duration(now - alert->event->started_at);
		/* TRANSLATORS: "since 05:58 (for 12 min)": when the alert started and how long
		 * it has been going on */
		g_string_append_printf(out, _("since %s (for %s)"), since, lasting);
	} else {
		g_string_append_printf(out, _("since %s"), since);
	}
	if (alert->event->description != NULL)
		g_string_append_printf(out, " — %s", alert->event->description);
	return g_string_free(out, FALSE);
}

char *
sr_cli_format_alert(const SrAlert *alert, const SrCatalog *catalog, GPtrArray *subscriptions,
                    gint64 now)
{
	g_autofree char *text = format_alert_text(alert, catalog, subscriptions, now, "1;31");
	return g_strconcat(symbol("🔴 "), text, NULL);
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
			return g_strdup_printf(_("%s (already going on)"), line);
		return g_steal_pointer(&line);
	}
	case SR_CHANGE_UPDATED: {
		/* an update is not a new alert, but one that turns into the threat itself (the
		 * siren after a pre-alert, yellow turned red) stays red */
		gboolean threat =
		    event->phase == SR_PHASE_ACTIVE && event->severity == SR_SEVERITY_EXTREME;
		g_autofree char *text = format_alert_text(change->alert, catalog, subscriptions,
		                                          change->at, threat ? "1;31" : "33");
		g_autofree char *line = g_strdup_printf(_("Update: %s"), text);
		return g_strconcat(symbol(threat ? "🔴 " : "🟠 "), line, NULL);
	}
	case SR_CHANGE_ENDED: {
		g_autofree char *at = sr_cli_local_time(change->at, change->at);
		g_autofree char *lasted =
		    event->started_at != 0 ? sr_cli_format_duration(change->at - event->started_at)
		                           : NULL;
		g_autofree char *all_clear = sr_cli_paint("1;32", _("All clear"));
		/* why it ended, so that an all-clear nobody upstream announced ("expired without
		 * an end message") is not taken for one they did */
		g_autofree char *reason = change->reason != NULL && change->reason[0] != '\0'
		                              ? sr_change_reason_localize(change->reason)
		                              : NULL;
		out = g_string_new(symbol("🟢 "));
		g_string_append_printf(out, "%s — ", all_clear);
		append_place(out, change->alert, catalog, subscriptions);
		g_string_append(out, " — ");
		g_string_append_printf(out, _("%s over at %s"), sr_cli_kind_label(event->kind), at);
		g_string_append_c(out, ' ');
		if (lasted != NULL && reason != NULL)
			g_string_append_printf(out, _("(lasted %s; %s)"), lasted, reason);
		else if (lasted != NULL)
			g_string_append_printf(out, _("(lasted %s)"), lasted);
		else if (reason != NULL)
			g_string_append_printf(out, "(%s)", reason);
		else
			g_string_truncate(out, out->len - 1);
		return g_string_free(out, FALSE);
	}
	case SR_CHANGE_SOURCE:
	default: {
		g_autofree char *since = sr_cli_local_time(health->down_since, change->at);
		g_autofree char *text = NULL;
		if (health->state == SR_SOURCE_STATE_OK) {
			text = g_strdup_printf(
			    _("Source %s is back: alerts from it are current again"), health->name);
			return g_strconcat(symbol("✅ "), text, NULL);
		}
		text = g_strdup_printf(_("Source %s is down since %s (%s): alerts may be missed; "
		                         "its last alerts are kept"),
		                       health->name, since,
		                       health->error != NULL ? health->error : _("no answer"));
		{
			g_autofree char *painted = sr_cli_paint("33", text);
			return g_strconcat(symbol("⚠️  "), painted, NULL);
		}
	}
	}
}
