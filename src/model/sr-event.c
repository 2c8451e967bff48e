/* sr-event.c - the event model: one alert as one source sees it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sr-event"

#include "config.h"

#include <math.h>
#include <string.h>

#include "sirena/event.h"

void
sr_geocode_free(SrGeocode *geocode)
{
	g_free(geocode->name);
	g_free(geocode->value);
	g_free(geocode);
}

static void
sr_event_clear(SrEvent *event)
{
	g_free(event->source);
	g_free(event->id);
	g_ptr_array_unref(event->regions);
	g_free(event->area.description);
	g_ptr_array_unref(event->area.polygons);
	g_array_unref(event->area.circles);
	g_ptr_array_unref(event->area.geocodes);
	g_free(event->headline);
	g_free(event->description);
	g_free(event->instruction);
	g_free(event->web);
	g_free(event->language);
	g_ptr_array_unref(event->references);
}

SrEvent *
sr_event_new(const char *source, const char *id)
{
	SrEvent *event = g_atomic_rc_box_new0(SrEvent);
	event->source = g_strdup(source);
	event->id = g_strdup(id);
	event->kind = SR_KIND_UNKNOWN;
	event->phase = SR_PHASE_ACTIVE;
	event->status = SR_STATUS_ACTUAL;
	event->regions = g_ptr_array_new_with_free_func(g_free);
	event->area.polygons = g_ptr_array_new_with_free_func((GDestroyNotify)g_array_unref);
	event->area.circles = g_array_new(FALSE, FALSE, sizeof(SrCircle));
	event->area.geocodes = g_ptr_array_new_with_free_func((GDestroyNotify)sr_geocode_free);
	event->references = g_ptr_array_new_with_free_func(g_free);
	return event;
}

SrEvent *
sr_event_ref(SrEvent *event)
{
	g_return_val_if_fail(event != NULL, NULL);
	return g_atomic_rc_box_acquire(event);
}

void
sr_event_unref(SrEvent *event)
{
	g_return_if_fail(event != NULL);
	g_atomic_rc_box_release_full(event, (GDestroyNotify)sr_event_clear);
}

SrEvent *
sr_event_copy(const SrEvent *event)
{
	SrEvent *copy = sr_event_new(event->source, event->id);
	copy->kind = event->kind;
	copy->phase = event->phase;
	copy->status = event->status;
	copy->severity = event->severity;
	copy->urgency = event->urgency;
	copy->certainty = event->certainty;
	for (guint i = 0; i < event->regions->len; i++)
		sr_event_add_region(copy, g_ptr_array_index(event->regions, i));
	copy->area.description = g_strdup(event->area.description);
	for (guint i = 0; i < event->area.polygons->len; i++) {
		GArray *ring = g_ptr_array_index(event->area.polygons, i);
		g_ptr_array_add(copy->area.polygons, g_array_ref(ring));
	}
	g_array_append_vals(copy->area.circles, event->area.circles->data,
	                    event->area.circles->len);
	for (guint i = 0; i < event->area.geocodes->len; i++) {
		const SrGeocode *geocode = g_ptr_array_index(event->area.geocodes, i);
		sr_event_add_geocode(copy, geocode->name, geocode->value);
	}
	copy->started_at = event->started_at;
	copy->updated_at = event->updated_at;
	copy->ended_at = event->ended_at;
	copy->expires_at = event->expires_at;
	copy->headline = g_strdup(event->headline);
	copy->description = g_strdup(event->description);
	copy->instruction = g_strdup(event->instruction);
	copy->web = g_strdup(event->web);
	copy->language = g_strdup(event->language);
	for (guint i = 0; i < event->references->len; i++)
		sr_event_add_reference(copy, g_ptr_array_index(event->references, i));
	return copy;
}

static gboolean
str_array_contains(GPtrArray *array, const char *str)
{
	for (guint i = 0; i < array->len; i++) {
		if (g_strcmp0(g_ptr_array_index(array, i), str) == 0)
			return TRUE;
	}
	return FALSE;
}

void
sr_event_add_region(SrEvent *event, const char *region_id)
{
	g_return_if_fail(region_id != NULL);
	if (!str_array_contains(event->regions, region_id))
		g_ptr_array_add(event->regions, g_strdup(region_id));
}

gboolean
sr_event_has_region(const SrEvent *event, const char *region_id)
{
	return str_array_contains(event->regions, region_id);
}

void
sr_event_add_reference(SrEvent *event, const char *id)
{
	g_return_if_fail(id != NULL);
	/* a hostile body with a million references must not cost a million squared */
	if (event->references->len >= SR_EVENT_MAX_REFERENCES)
		return;
	if (!str_array_contains(event->references, id))
		g_ptr_array_add(event->references, g_strdup(id));
}

void
sr_event_add_geocode(SrEvent *event, const char *name, const char *value)
{
	SrGeocode *geocode = g_new0(SrGeocode, 1);
	geocode->name = g_strdup(name);
	geocode->value = g_strdup(value);
	g_ptr_array_add(event->area.geocodes, geocode);
}

void
sr_event_add_circle(SrEvent *event, double lat, double lon, double radius_km)
{
	SrCircle circle = {lat, lon, radius_km};
	g_array_append_val(event->area.circles, circle);
}

static gboolean
point_valid(const SrPoint *point)
{
	return isfinite(point->lat) && isfinite(point->lon) && fabs(point->lat) <= 90.0 &&
	       fabs(point->lon) <= 180.0;
}

gboolean
sr_event_add_polygon(SrEvent *event, const SrPoint *points, guint n_points)
{
	g_autoptr(GArray) ring = g_array_sized_new(FALSE, FALSE, sizeof(SrPoint), n_points + 1);
	for (guint i = 0; i < n_points; i++) {
		if (point_valid(&points[i]))
			g_array_append_val(ring, points[i]);
	}
	if (ring->len < 3)
		return FALSE;
	{
		const SrPoint *first = &g_array_index(ring, SrPoint, 0);
		const SrPoint *last = &g_array_index(ring, SrPoint, ring->len - 1);
		if (first->lat != last->lat || first->lon != last->lon) {
			SrPoint closing = *first;
			g_array_append_val(ring, closing);
		}
	}
	if (ring->len < 4)
		return FALSE;
	g_ptr_array_add(event->area.polygons, g_steal_pointer(&ring));
	return TRUE;
}

void
sr_event_set_text(char **field, const char *value)
{
	g_free(*field);
	*field = (value != NULL && value[0] != '\0') ? g_strdup(value) : NULL;
}

void
sr_event_set_upstream_text(char **field, const char *value)
{
	char *text = NULL;
	/* nearly all of it is valid: checked in place, copied once */
	if (value != NULL && value[0] != '\0')
		text = g_utf8_validate(value, -1, NULL) ? g_strdup(value)
		                                        : g_utf8_make_valid(value, -1);
	g_free(*field);
	*field = text;
}

static gboolean
str_arrays_equal(GPtrArray *a, GPtrArray *b)
{
	if (a->len != b->len)
		return FALSE;
	for (guint i = 0; i < a->len; i++) {
		if (g_strcmp0(g_ptr_array_index(a, i), g_ptr_array_index(b, i)) != 0)
			return FALSE;
	}
	return TRUE;
}

static gboolean
areas_equal(const SrArea *a, const SrArea *b)
{
	if (g_strcmp0(a->description, b->description) != 0)
		return FALSE;
	if (a->polygons->len != b->polygons->len || a->circles->len != b->circles->len ||
	    a->geocodes->len != b->geocodes->len)
		return FALSE;
	for (guint i = 0; i < a->polygons->len; i++) {
		GArray *ra = g_ptr_array_index(a->polygons, i);
		GArray *rb = g_ptr_array_index(b->polygons, i);
		if (ra->len != rb->len ||
		    memcmp(ra->data, rb->data, ra->len * sizeof(SrPoint)) != 0)
			return FALSE;
	}
	if (a->circles->len > 0 &&
	    memcmp(a->circles->data, b->circles->data, a->circles->len * sizeof(SrCircle)) != 0)
		return FALSE;
	for (guint i = 0; i < a->geocodes->len; i++) {
		const SrGeocode *ga = g_ptr_array_index(a->geocodes, i);
		const SrGeocode *gb = g_ptr_array_index(b->geocodes, i);
		if (g_strcmp0(ga->name, gb->name) != 0 || g_strcmp0(ga->value, gb->value) != 0)
			return FALSE;
	}
	return TRUE;
}

gboolean
sr_event_same_content(const SrEvent *a, const SrEvent *b)
{
	return a->kind == b->kind && a->phase == b->phase && a->status == b->status &&
	       a->severity == b->severity && a->urgency == b->urgency &&
	       a->certainty == b->certainty && str_arrays_equal(a->regions, b->regions) &&
	       areas_equal(&a->area, &b->area) && a->started_at == b->started_at &&
	       a->ended_at == b->ended_at && a->expires_at == b->expires_at &&
	       g_strcmp0(a->headline, b->headline) == 0 &&
	       g_strcmp0(a->description, b->description) == 0 &&
	       g_strcmp0(a->instruction, b->instruction) == 0 && g_strcmp0(a->web, b->web) == 0 &&
	       g_strcmp0(a->language, b->language) == 0 &&
	       str_arrays_equal(a->references, b->references);
}

gboolean
sr_event_is_active(const SrEvent *event)
{
	return event->phase == SR_PHASE_PRE_ALERT || event->phase == SR_PHASE_ACTIVE ||
	       event->phase == SR_PHASE_STAY_NEAR;
}
