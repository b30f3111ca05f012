/* SPDX-License-Identifier: MIT */
/* geo.c - datum shifts, distance and point-in-polygon (see geo.h).
 *
 * The GCJ-02 shift is a sum of sines in the offset from (105 E, 35 N),
 * scaled by the Krasovsky 1940 ellipsoid; it is smooth, so the inverse
 * converges quickly by repeatedly subtracting the forward shift's error. */
#include "geo.h"

#include <math.h>

#define GEO_PI         3.14159265358979323846
#define KRASOVSKY_A    6378245.0              /* semi-major axis (m) */
#define KRASOVSKY_EE   0.00669342162296594323 /* first eccentricity squared */
#define EARTH_RADIUS_M 6371008.8              /* mean radius (IUGG) */

bool geo_in_china(struct geo_point p)
{
    return p.lng >= 72.004 && p.lng <= 137.8347 && p.lat >= 0.8293 && p.lat <= 55.8271;
}

/* The periodic terms both shifts share. */
static double waves(double x, double y, double a1, double a2)
{
    double t = (20.0 * sin(6.0 * x * GEO_PI) + 20.0 * sin(2.0 * x * GEO_PI)) * 2.0 / 3.0;
    t += (20.0 * sin(y * GEO_PI) + 40.0 * sin(y / 3.0 * GEO_PI)) * 2.0 / 3.0;
    t += (a1 * sin(y / 12.0 * GEO_PI) + a2 * sin(y / 30.0 * GEO_PI)) * 2.0 / 3.0;
    return t;
}

static double shift_lat(double x, double y)
{
    double r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sqrt(fabs(x));
    return r + waves(x, y, 160.0, 320.0);
}

static double shift_lng(double x, double y)
{
    double r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sqrt(fabs(x));
    /* Longitude's terms all run over x: waves() with y = x. */
    return r + waves(x, x, 150.0, 300.0);
}

struct geo_point geo_wgs84_to_gcj02(struct geo_point wgs)
{
    struct geo_point out = wgs;
    double x, y, dlat, dlng, rad, magic, sq;

    if (!geo_in_china(wgs))
        return out;
    x = wgs.lng - 105.0;
    y = wgs.lat - 35.0;
    dlat = shift_lat(x, y);
    dlng = shift_lng(x, y);
    rad = wgs.lat / 180.0 * GEO_PI;
    magic = sin(rad);
    magic = 1.0 - KRASOVSKY_EE * magic * magic;
    sq = sqrt(magic);
    dlat = (dlat * 180.0) / ((KRASOVSKY_A * (1.0 - KRASOVSKY_EE)) / (magic * sq) * GEO_PI);
    dlng = (dlng * 180.0) / (KRASOVSKY_A / sq * cos(rad) * GEO_PI);
    out.lat = wgs.lat + dlat;
    out.lng = wgs.lng + dlng;
    return out;
}

struct geo_point geo_gcj02_to_wgs84(struct geo_point gcj)
{
    struct geo_point w = gcj;

    if (!geo_in_china(gcj))
        return w;
    for (int i = 0; i < 30; i++) {
        struct geo_point g = geo_wgs84_to_gcj02(w);
        double elng = g.lng - gcj.lng, elat = g.lat - gcj.lat;
        w.lng -= elng;
        w.lat -= elat;
        if (fabs(elng) < 1e-10 && fabs(elat) < 1e-10)
            break;
    }
    return w;
}

double geo_distance_m(struct geo_point a, struct geo_point b)
{
    double p1 = a.lat * GEO_PI / 180.0, p2 = b.lat * GEO_PI / 180.0;
    double dp = p2 - p1, dl = (b.lng - a.lng) * GEO_PI / 180.0;
    double h = sin(dp / 2) * sin(dp / 2) + cos(p1) * cos(p2) * sin(dl / 2) * sin(dl / 2);
    return 2.0 * EARTH_RADIUS_M * asin(sqrt(h < 1.0 ? h : 1.0));
}

bool geo_point_in_ring(struct geo_point p, const struct geo_point *pts, size_t n)
{
    bool inside = false;
    for (size_t i = 0, j = n ? n - 1 : 0; i < n; j = i++) {
        const struct geo_point *a = &pts[i], *b = &pts[j];
        /* Count crossings of the ray going east from p. */
        if ((a->lat > p.lat) != (b->lat > p.lat)) {
            double x = a->lng + (p.lat - a->lat) * (b->lng - a->lng) / (b->lat - a->lat);
            if (p.lng < x)
                inside = !inside;
        }
    }
    return inside;
}
