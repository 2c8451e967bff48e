/* test-geo.c - distances, polygons and whether an alert's area covers the user
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "sirena/event.h"
#include "sirena/geo.h"

/* km per degree of latitude on the mean sphere geo uses */
#define KM_PER_DEG (6371.0088 * G_PI / 180.0)

/* a square of one degree, 50..51 N, 30..31 E, closed as sr_event_add_polygon leaves it */
static const SrPoint square[] = {{50, 30}, {50, 31}, {51, 31}, {51, 30}, {50, 30}};

/* a U opening to the north: arms at 30..31 and 32..33 E, joined below 51 N; the notch between
 * the arms (51..53 N, 31..32 E) is outside */
static const SrPoint u_shape[] = {{50, 30}, {50, 33}, {53, 33}, {53, 32}, {51, 32},
                                  {51, 31}, {53, 31}, {53, 30}, {50, 30}};

/* around Fiji's eastern islands and the sea towards Tonga: 178 E to 176 W, 15..21 S */
static const SrPoint fiji[] = {{-15, 178}, {-15, -176}, {-21, -176}, {-21, 178}, {-15, 178}};

static void
assert_close_pct(double value, double expected, double pct)
{
	if (fabs(value - expected) > fabs(expected) * pct / 100)
		g_error("%.3f is not within %g %% of %.3f", value, pct, expected);
}

static void
test_distance(void)
{
	/* Kyiv to Lviv, about 468 km as the crow flies */
	assert_close_pct(sr_geo_distance_km(50.4501, 30.5234, 49.8397, 24.0297), 468, 1);
	/* symmetric */
	g_assert_cmpfloat_with_epsilon(sr_geo_distance_km(50.4501, 30.5234, 49.8397, 24.0297),
	                               sr_geo_distance_km(49.8397, 24.0297, 50.4501, 30.5234),
	                               1e-9);
	g_assert_cmpfloat(sr_geo_distance_km(50.4501, 30.5234, 50.4501, 30.5234), ==, 0);
	/* antipodes: half the circumference, not NaN from rounding */
	assert_close_pct(sr_geo_distance_km(0, 0, 0, 180), 20015.1, 0.01);
	assert_close_pct(sr_geo_distance_km(50.4501, 30.5234, -50.4501, -149.4766), 20015.1, 0.01);
	assert_close_pct(sr_geo_distance_km(90, 0, -90, 0), 20015.1, 0.01);
	/* rounding pushes some antipodal pairs just past half a turn: a grid of them, all finite */
	for (double lat = -89.9; lat < 90; lat += 0.7) {
		for (double lon = -179.3; lon < 180; lon += 1.3) {
			double d =
			    sr_geo_distance_km(lat, lon, -lat, lon > 0 ? lon - 180 : lon + 180);
			if (!isfinite(d))
				g_error("antipodes of %g,%g: %g", lat, lon, d);
			assert_close_pct(d, 20015.1, 0.01);
		}
	}
	/* across the antimeridian it is the short way round: 2 degrees at the equator */
	assert_close_pct(sr_geo_distance_km(0, 179, 0, -179), 2 * KM_PER_DEG, 0.01);
}

static void
test_point_in_square(void)
{
	g_assert_true(sr_geo_point_in_polygon(square, G_N_ELEMENTS(square), 50.5, 30.5));
	g_assert_true(sr_geo_point_in_polygon(square, G_N_ELEMENTS(square), 50.01, 30.99));
	g_assert_false(sr_geo_point_in_polygon(square, G_N_ELEMENTS(square), 51.5, 30.5));
	g_assert_false(sr_geo_point_in_polygon(square, G_N_ELEMENTS(square), 50.5, 29.9));
	g_assert_false(sr_geo_point_in_polygon(square, G_N_ELEMENTS(square), 49.9, 30.5));
	g_assert_false(sr_geo_point_in_polygon(square, G_N_ELEMENTS(square), 50.5, 31.1));
	/* the same ring without its closing point is the same square */
	g_assert_true(sr_geo_point_in_polygon(square, G_N_ELEMENTS(square) - 1, 50.5, 30.5));
	g_assert_false(sr_geo_point_in_polygon(square, G_N_ELEMENTS(square) - 1, 51.5, 30.5));
	/* west of it: only the implicit closing edge lies between */
	g_assert_false(sr_geo_point_in_polygon(square, G_N_ELEMENTS(square) - 1, 50.5, 29.5));
	/* the other way round is the same square too */
	{
		const SrPoint reversed[] = {{50, 30}, {51, 30}, {51, 31}, {50, 31}, {50, 30}};
		g_assert_true(
		    sr_geo_point_in_polygon(reversed, G_N_ELEMENTS(reversed), 50.5, 30.5));
		g_assert_false(
		    sr_geo_point_in_polygon(reversed, G_N_ELEMENTS(reversed), 50.5, 31.5));
	}
	/* no area: too few points, no ring, not a number */
	g_assert_false(sr_geo_point_in_polygon(square, 2, 50.5, 30.5));
	g_assert_false(sr_geo_point_in_polygon(NULL, 0, 50.5, 30.5));
	g_assert_false(sr_geo_point_in_polygon(square, G_N_ELEMENTS(square), NAN, 30.5));
	{
		const SrPoint broken[] = {{50, 30}, {50, NAN}, {51, 31}, {51, 30}};
		g_assert_false(sr_geo_point_in_polygon(broken, G_N_ELEMENTS(broken), 50.5, 30.5));
	}
}

static void
test_point_in_concave(void)
{
	/* in the notch of the U: inside its bounding box, outside the area */
	g_assert_false(sr_geo_point_in_polygon(u_shape, G_N_ELEMENTS(u_shape), 52.0, 31.5));
	g_assert_false(sr_geo_point_in_polygon(u_shape, G_N_ELEMENTS(u_shape), 52.9, 31.5));
	/* in either arm and in the base */
	g_assert_true(sr_geo_point_in_polygon(u_shape, G_N_ELEMENTS(u_shape), 52.0, 30.5));
	g_assert_true(sr_geo_point_in_polygon(u_shape, G_N_ELEMENTS(u_shape), 52.0, 32.5));
	g_assert_true(sr_geo_point_in_polygon(u_shape, G_N_ELEMENTS(u_shape), 50.5, 31.5));
	/* beyond the arms */
	g_assert_false(sr_geo_point_in_polygon(u_shape, G_N_ELEMENTS(u_shape), 53.5, 30.5));
	g_assert_false(sr_geo_point_in_polygon(u_shape, G_N_ELEMENTS(u_shape), 52.0, 33.5));
	/* the same U, open, started so that the implicit closing edge is the notch's east side */
	{
		const SrPoint open_u[] = {{51, 32}, {51, 31}, {53, 31}, {53, 30},
		                          {50, 30}, {50, 33}, {53, 33}, {53, 32}};
		g_assert_false(sr_geo_point_in_polygon(open_u, G_N_ELEMENTS(open_u), 52.0, 31.5));
		g_assert_true(sr_geo_point_in_polygon(open_u, G_N_ELEMENTS(open_u), 52.0, 32.5));
	}
}

static void
test_point_in_antimeridian(void)
{
	/* both sides of 180 */
	g_assert_true(sr_geo_point_in_polygon(fiji, G_N_ELEMENTS(fiji), -18, 179));
	g_assert_true(sr_geo_point_in_polygon(fiji, G_N_ELEMENTS(fiji), -18, -179));
	g_assert_true(sr_geo_point_in_polygon(fiji, G_N_ELEMENTS(fiji), -18, 180));
	g_assert_true(sr_geo_point_in_polygon(fiji, G_N_ELEMENTS(fiji), -18, -180));
	/* just outside to the west and east, and the rest of the world a naive test would take
	 * for the inside (between -176 and 178 the long way) */
	g_assert_false(sr_geo_point_in_polygon(fiji, G_N_ELEMENTS(fiji), -18, 177));
	g_assert_false(sr_geo_point_in_polygon(fiji, G_N_ELEMENTS(fiji), -18, -175));
	g_assert_false(sr_geo_point_in_polygon(fiji, G_N_ELEMENTS(fiji), -18, 0));
	g_assert_false(sr_geo_point_in_polygon(fiji, G_N_ELEMENTS(fiji), -14, 179));
	/* the same ring started on the western side, and left open */
	{
		const SrPoint west_first[] = {{-15, -176}, {-21, -176}, {-21, 178}, {-15, 178}};
		g_assert_true(
		    sr_geo_point_in_polygon(west_first, G_N_ELEMENTS(west_first), -18, 179));
		g_assert_true(
		    sr_geo_point_in_polygon(west_first, G_N_ELEMENTS(west_first), -18, -179));
		g_assert_false(
		    sr_geo_point_in_polygon(west_first, G_N_ELEMENTS(west_first), -18, 0));
		g_assert_false(
		    sr_geo_point_in_polygon(west_first, G_N_ELEMENTS(west_first), -18, 177));
	}
}

/* the distance to the edge a-b (straight in latitude and longitude, as the even-odd test draws
 * it) by brute force: the nearest of many points along it */
static double
distance_to_edge_sampled(SrPoint a, SrPoint b, double lat, double lon)
{
	double best = INFINITY;
	for (guint i = 0; i <= 100000; i++) {
		double t = i / 100000.0;
		best = MIN(best, sr_geo_distance_km(lat, lon, a.lat + t * (b.lat - a.lat),
		                                    a.lon + t * (b.lon - a.lon)));
	}
	return best;
}

static void
test_distance_to_polygon(void)
{
	double east = 0.1 * KM_PER_DEG * cos(50.5 * G_PI / 180);
	g_assert_cmpfloat(sr_geo_distance_to_polygon_km(square, G_N_ELEMENTS(square), 50.5, 30.5),
	                  ==, 0);
	/* east of the east edge: along the parallel */
	assert_close_pct(sr_geo_distance_to_polygon_km(square, G_N_ELEMENTS(square), 50.5, 31.1),
	                 east, 0.5);
	/* north of the north edge: 0.1 degree of latitude */
	assert_close_pct(sr_geo_distance_to_polygon_km(square, G_N_ELEMENTS(square), 51.1, 30.5),
	                 0.1 * KM_PER_DEG, 0.5);
	/* beyond a corner: the corner is nearest */
	assert_close_pct(sr_geo_distance_to_polygon_km(square, G_N_ELEMENTS(square), 51.1, 31.1),
	                 sr_geo_distance_km(51.1, 31.1, 51, 31), 0.5);
	/* far away it is still about right: Kyiv's square from Lviv */
	assert_close_pct(
	    sr_geo_distance_to_polygon_km(square, G_N_ELEMENTS(square), 49.8397, 24.0297),
	    sr_geo_distance_km(49.8397, 24.0297, 50, 30), 2);
	/* the notch of the U is near the U: the distance to the nearest arm */
	assert_close_pct(sr_geo_distance_to_polygon_km(u_shape, G_N_ELEMENTS(u_shape), 52, 31.5),
	                 0.5 * KM_PER_DEG * cos(52 * G_PI / 180), 0.5);
	/* across the antimeridian: a degree east of the 176 W edge, not most of the world */
	assert_close_pct(sr_geo_distance_to_polygon_km(fiji, G_N_ELEMENTS(fiji), -18, -175),
	                 KM_PER_DEG * cos(18 * G_PI / 180), 0.5);
	assert_close_pct(sr_geo_distance_to_polygon_km(fiji, G_N_ELEMENTS(fiji), -18, 177),
	                 KM_PER_DEG * cos(18 * G_PI / 180), 0.5);
	g_assert_cmpfloat(sr_geo_distance_to_polygon_km(fiji, G_N_ELEMENTS(fiji), -18, -179), ==,
	                  0);
	/* north of the edge that crosses 180, on the other side of 180 than where it starts */
	assert_close_pct(sr_geo_distance_to_polygon_km(fiji, G_N_ELEMENTS(fiji), -14, -179.5),
	                 KM_PER_DEG, 0.5);
	/* a slanted edge far north, where a degree of longitude is half a degree of latitude:
	 * the projection must scale longitude to find the nearest point */
	{
		const SrPoint slanted[] = {{60, 0}, {61.5, 4}, {62, 0}, {60, 0}};
		SrPoint a = {60, 0};
		SrPoint b = {61.5, 4};
		assert_close_pct(
		    sr_geo_distance_to_polygon_km(slanted, G_N_ELEMENTS(slanted), 60.2, 3),
		    distance_to_edge_sampled(a, b, 60.2, 3), 0.5);
		assert_close_pct(
		    sr_geo_distance_to_polygon_km(slanted, G_N_ELEMENTS(slanted), 60.6, 3.5),
		    distance_to_edge_sampled(a, b, 60.6, 3.5), 0.5);
	}
}

/* an event whose area is the square; the rest of the area as the test adds it */
static SrEvent *
event_with_square(void)
{
	SrEvent *event = sr_event_new("cap", "cap:1");
	g_assert_true(sr_event_add_polygon(event, square, G_N_ELEMENTS(square)));
	return event;
}

static SrLocation *
location_at(double lat, double lon, double radius_km)
{
	SrLocation *location = sr_location_new();
	location->has_point = TRUE;
	location->lat = lat;
	location->lon = lon;
	location->radius_km = radius_km;
	return location;
}

static void
test_match_polygon(void)
{
	g_autoptr(SrEvent) event = event_with_square();
	/* 3 km east of the east edge */
	double lon = 31 + 3 / (KM_PER_DEG * cos(50.5 * G_PI / 180));
	g_autoptr(SrLocation) inside = location_at(50.5, 30.5, 0);
	g_autoptr(SrLocation) outside = location_at(50.5, lon, 0);
	g_autoptr(SrLocation) near5 = location_at(50.5, lon, 5);
	g_autoptr(SrLocation) near1 = location_at(50.5, lon, 1);
	g_autoptr(SrLocation) on_edge = location_at(50.5, 31, 0);
	g_assert_true(sr_location_matches_area(inside, &event->area));
	g_assert_false(sr_location_matches_area(outside, &event->area));
	g_assert_true(sr_location_matches_area(near5, &event->area));
	g_assert_false(sr_location_matches_area(near1, &event->area));
	/* a point on the edge is in the area, whichever side rounding puts it */
	g_assert_true(sr_location_matches_area(on_edge, &event->area));
	/* the notch of a U is not in it, but a radius that reaches an arm is */
	{
		g_autoptr(SrEvent) u = sr_event_new("cap", "cap:u");
		g_autoptr(SrLocation) notch = location_at(52, 31.5, 0);
		g_autoptr(SrLocation) notch_wide = location_at(52, 31.5, 40);
		g_assert_true(sr_event_add_polygon(u, u_shape, G_N_ELEMENTS(u_shape)));
		g_assert_false(sr_location_matches_area(notch, &u->area));
		g_assert_true(sr_location_matches_area(notch_wide, &u->area));
	}
	/* any of several polygons will do */
	{
		const SrPoint far[] = {{10, 10}, {10, 11}, {11, 11}};
		g_autoptr(SrEvent) two = sr_event_new("cap", "cap:2");
		g_assert_true(sr_event_add_polygon(two, far, G_N_ELEMENTS(far)));
		g_assert_true(sr_event_add_polygon(two, square, G_N_ELEMENTS(square)));
		g_assert_true(sr_location_matches_area(inside, &two->area));
	}
	/* across the antimeridian */
	{
		g_autoptr(SrEvent) pacific = sr_event_new("cap", "cap:fj");
		g_autoptr(SrLocation) east = location_at(-18, -179, 0);
		g_autoptr(SrLocation) london = location_at(51.5, 0, 0);
		g_assert_true(sr_event_add_polygon(pacific, fiji, G_N_ELEMENTS(fiji)));
		g_assert_true(sr_location_matches_area(east, &pacific->area));
		g_assert_false(sr_location_matches_area(london, &pacific->area));
	}
}

static void
test_match_circle(void)
{
	g_autoptr(SrEvent) event = sr_event_new("cap", "cap:c");
	/* 12 km north of the centre of a 10 km circle */
	double lat = 50.45 + 12 / KM_PER_DEG;
	g_autoptr(SrLocation) in_disc = location_at(50.45 + 5 / KM_PER_DEG, 30.52, 0);
	g_autoptr(SrLocation) near = location_at(lat, 30.52, 0);
	g_autoptr(SrLocation) near5 = location_at(lat, 30.52, 5);
	g_autoptr(SrLocation) near1 = location_at(lat, 30.52, 1);
	sr_event_add_circle(event, 50.45, 30.52, 10);
	g_assert_true(sr_location_matches_area(in_disc, &event->area));
	g_assert_false(sr_location_matches_area(near, &event->area));
	g_assert_true(sr_location_matches_area(near5, &event->area));
	g_assert_false(sr_location_matches_area(near1, &event->area));
	/* a circle of radius 0 is a point: matched by a radius that reaches it */
	{
		g_autoptr(SrEvent) point = sr_event_new("cap", "cap:p");
		g_autoptr(SrLocation) there = location_at(50.45, 30.52, 0);
		sr_event_add_circle(point, 50.45, 30.52, 0);
		g_assert_true(sr_location_matches_area(there, &point->area));
		g_assert_false(sr_location_matches_area(near1, &point->area));
		/* 12 km away is beyond a radius of 5 */
		g_assert_false(sr_location_matches_area(near5, &point->area));
	}
}

static void
test_match_geocodes(void)
{
	g_autoptr(SrEvent) event = sr_event_new("cap", "cap:g");
	g_autoptr(SrLocation) location = sr_location_new();
	g_autoptr(SrLocation) other_value = sr_location_new();
	g_autoptr(SrLocation) value_case = sr_location_new();
	sr_event_add_geocode(event, "SAME", " 006037 ");
	sr_event_add_geocode(event, "UGC", "CAZ041");
	/* the name in any case, whitespace around either side ignored */
	sr_location_add_geocode(location, " same ", "006037");
	g_assert_true(sr_location_is_set(location));
	g_assert_true(sr_location_matches_area(location, &event->area));
	/* the value exactly: 06037 is not 006037 */
	sr_location_add_geocode(other_value, "SAME", "06037");
	g_assert_false(sr_location_matches_area(other_value, &event->area));
	/* a UGC zone is upper case; caz041 is not what the alert names */
	sr_location_add_geocode(value_case, "ugc", "caz041");
	g_assert_false(sr_location_matches_area(value_case, &event->area));
	/* a value under another name is another code */
	{
		g_autoptr(SrLocation) wrong_name = sr_location_new();
		sr_location_add_geocode(wrong_name, "FIPS6", "006037");
		g_assert_false(sr_location_matches_area(wrong_name, &event->area));
	}
	/* any one of the user's codes will do; a point elsewhere does not stop it */
	{
		g_autoptr(SrLocation) several = location_at(-33.9, 151.2, 0);
		sr_location_add_geocode(several, "ARS", "091620000000");
		sr_location_add_geocode(several, "UGC", "CAZ041");
		g_assert_true(sr_location_matches_area(several, &event->area));
	}
}

static void
test_match_unset(void)
{
	g_autoptr(SrEvent) event = sr_event_new("cap", "cap:0");
	const SrPoint around_origin[] = {{-1, -1}, {-1, 1}, {1, 1}, {1, -1}};
	g_autoptr(SrLocation) unset = sr_location_new();
	g_autoptr(SrLocation) only_codes = sr_location_new();
	g_assert_true(sr_event_add_polygon(event, around_origin, G_N_ELEMENTS(around_origin)));
	sr_event_add_circle(event, 0, 0, 100);
	/* an unset location is not a point at 0,0 */
	g_assert_false(sr_location_is_set(unset));
	g_assert_false(sr_location_is_set(NULL));
	g_assert_false(sr_location_matches_area(unset, &event->area));
	g_assert_false(sr_location_matches_area(NULL, &event->area));
	/* geocodes alone say nothing about points */
	sr_location_add_geocode(only_codes, "SAME", "006037");
	g_assert_false(sr_location_matches_area(only_codes, &event->area));
}

static void
test_match_empty_area(void)
{
	g_autoptr(SrEvent) event = sr_event_new("cap", "cap:empty");
	g_autoptr(SrLocation) location = location_at(50.45, 30.52, 500);
	sr_location_add_geocode(location, "SAME", "006037");
	g_assert_false(sr_location_matches_area(location, &event->area));
	g_assert_false(sr_location_matches_area(location, NULL));
}

static void
test_copy(void)
{
	g_autoptr(SrLocation) location = location_at(50.45, 30.52, 5);
	g_autoptr(SrLocation) copy = NULL;
	const SrGeocode *geocode = NULL;
	sr_location_add_geocode(location, "UGC", "CAZ041");
	copy = sr_location_copy(location);
	g_assert_true(copy->has_point);
	g_assert_cmpfloat(copy->lat, ==, 50.45);
	g_assert_cmpfloat(copy->lon, ==, 30.52);
	g_assert_cmpfloat(copy->radius_km, ==, 5);
	g_assert_cmpuint(copy->geocodes->len, ==, 1);
	geocode = g_ptr_array_index(copy->geocodes, 0);
	g_assert_cmpstr(geocode->name, ==, "UGC");
	g_assert_cmpstr(geocode->value, ==, "CAZ041");
	/* independent of the original */
	g_assert_true(geocode != g_ptr_array_index(location->geocodes, 0));
	g_clear_pointer(&location, sr_location_free);
	g_assert_cmpstr(geocode->value, ==, "CAZ041");
	g_assert_null(sr_location_copy(NULL));
}

static void
test_ars_levels(void)
{
	g_autoptr(SrLocation) kreis = sr_location_new();
	g_autoptr(SrLocation) gemeinde = sr_location_new();
	g_autoptr(SrEvent) event = sr_event_new("nina", "nina:1");

	sr_location_add_geocode(kreis, "ARS", "091620000000");
	sr_location_add_geocode(gemeinde, "ARS", "091620001234");
	/* a warning for the Kreis reaches a Gemeinde in it, and the other way round */
	sr_event_add_geocode(event, "ARS", "091620000000");
	g_assert_true(sr_location_matches_area(gemeinde, &event->area));
	g_assert_true(sr_location_matches_area(kreis, &event->area));
	g_ptr_array_set_size(event->area.geocodes, 0);
	sr_event_add_geocode(event, "ARS", "091620005678");
	g_assert_true(sr_location_matches_area(kreis, &event->area));
	/* but not another Gemeinde, another Kreis, or another kind of code */
	g_assert_false(sr_location_matches_area(gemeinde, &event->area));
	g_ptr_array_set_size(event->area.geocodes, 0);
	sr_event_add_geocode(event, "ARS", "091630000000");
	g_assert_false(sr_location_matches_area(kreis, &event->area));
	g_ptr_array_set_size(event->area.geocodes, 0);
	sr_event_add_geocode(event, "SAME", "091620000000");
	g_assert_false(sr_location_matches_area(kreis, &event->area));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
	g_test_add_func("/sr/geo/distance", test_distance);
	g_test_add_func("/sr/geo/ars-levels", test_ars_levels);
	g_test_add_func("/sr/geo/point-in-square", test_point_in_square);
	g_test_add_func("/sr/geo/point-in-concave", test_point_in_concave);
	g_test_add_func("/sr/geo/point-in-antimeridian", test_point_in_antimeridian);
	g_test_add_func("/sr/geo/distance-to-polygon", test_distance_to_polygon);
	g_test_add_func("/sr/geo/match-polygon", test_match_polygon);
	g_test_add_func("/sr/geo/match-circle", test_match_circle);
	g_test_add_func("/sr/geo/match-geocodes", test_match_geocodes);
	g_test_add_func("/sr/geo/match-unset", test_match_unset);
	g_test_add_func("/sr/geo/match-empty-area", test_match_empty_area);
	g_test_add_func("/sr/geo/copy", test_copy);
	return g_test_run();
}
