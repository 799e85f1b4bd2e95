//! GeoJSON shapes for the geo comparison: Point, Polygon, MultiPolygon and AeroCircle (also
//! inside a Feature), validated like the server validates them. A point matches a region that
//! contains it, whichever side of the comparison each is on; two points or two regions never
//! match. Circles use great-circle distance on a sphere of the server's default earth radius;
//! polygon containment uses the even-odd rule on longitude/latitude, which is accurate for
//! regions of everyday size.

use super::json::{self, Json};

/// The default `geo2dsphere-within.earth-radius-meters`.
const EARTH_RADIUS_M: f64 = 6_371_000.0;

/// A (longitude, latitude) pair in degrees.
type LngLat = (f64, f64);

#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    Point(LngLat),
    /// Each polygon is a list of closed rings (first vertex not repeated).
    Polygons(Vec<Vec<Vec<LngLat>>>),
    Circle(LngLat, f64),
}

impl Shape {
    /// Parses GeoJSON text; `None` when the server would refuse it.
    pub fn parse(text: &[u8]) -> Option<Shape> {
        let doc = json::parse(text)?;
        let geom = match doc.get("type")?.as_str()? {
            "Feature" => doc.get("geometry")?,
            _ => &doc,
        };
        let coords = geom.get("coordinates")?;
        match geom.get("type")?.as_str()? {
            "Point" => Some(Shape::Point(point(coords)?)),
            "Polygon" => Some(Shape::Polygons(vec![polygon(coords)?])),
            "MultiPolygon" => coords
                .as_arr()?
                .iter()
                .map(polygon)
                .collect::<Option<Vec<_>>>()
                .map(Shape::Polygons),
            "AeroCircle" => match coords.as_arr()? {
                [center, radius] => Some(Shape::Circle(point(center)?, radius.as_num()?)),
                _ => None,
            },
            _ => None,
        }
    }

    fn contains(&self, p: LngLat) -> bool {
        match self {
            Shape::Point(_) => false,
            Shape::Circle(c, r) => central_angle(*c, p) * EARTH_RADIUS_M <= *r,
            Shape::Polygons(polys) => polys
                .iter()
                .any(|rings| rings.iter().filter(|ring| ring_contains(ring, p)).count() % 2 == 1),
        }
    }
}

/// The geo comparison: a point within a region, or a region containing a point.
pub fn matches(a: &Shape, b: &Shape) -> bool {
    match (a, b) {
        (Shape::Point(p), region) | (region, Shape::Point(p)) => region.contains(*p),
        _ => false,
    }
}

fn point(v: &Json) -> Option<LngLat> {
    match v.as_arr()? {
        [lng, lat] => {
            let (lng, lat) = (lng.as_num()?, lat.as_num()?);
            ((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lng)).then_some((lng, lat))
        }
        _ => None,
    }
}

fn polygon(v: &Json) -> Option<Vec<Vec<LngLat>>> {
    v.as_arr()?.iter().map(ring).collect()
}

/// A loop: at least four vertices after dropping consecutive repeats, first equal to last.
fn ring(v: &Json) -> Option<Vec<LngLat>> {
    let mut pts: Vec<LngLat> = Vec::new();
    for p in v.as_arr()? {
        let p = point(p)?;
        if pts.last() != Some(&p) {
            pts.push(p);
        }
    }
    if pts.len() < 4 || pts.first() != pts.last() {
        return None;
    }
    pts.pop();
    Some(pts)
}

/// Even-odd ray casting along the longitude axis.
fn ring_contains(ring: &[LngLat], (x, y): LngLat) -> bool {
    let mut inside = false;
    let mut j = ring.len() - 1;
    for i in 0..ring.len() {
        let ((xi, yi), (xj, yj)) = (ring[i], ring[j]);
        if (yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi {
            inside = !inside;
        }
        j = i;
    }
    inside
}

/// Angle in radians between two points on the sphere (haversine).
fn central_angle((lng1, lat1): LngLat, (lng2, lat2): LngLat) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lng2 - lng1).to_radians();
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * h.sqrt().min(1.0).asin()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(s: &str) -> Shape {
        Shape::parse(s.as_bytes()).unwrap()
    }

    #[test]
    fn point_within_circle_either_way() {
        let p = shape(r#"{"type":"Point","coordinates":[103.913,1.308]}"#);
        let near = shape(r#"{"type":"AeroCircle","coordinates":[[103.875,1.297],10000]}"#);
        let far = shape(r#"{"type":"AeroCircle","coordinates":[[9.78,53.55],50000]}"#);
        assert!(matches(&p, &near));
        assert!(matches(&near, &p));
        assert!(!matches(&p, &far));
        assert!(!matches(&far, &p));
        assert!(!matches(&p, &p));
        assert!(!matches(&near, &near));
    }

    #[test]
    fn polygons_with_holes() {
        let poly = shape(
            r#"{"type":"Polygon","coordinates":[
                [[0,0],[10,0],[10,10],[0,10],[0,0]],
                [[4,4],[6,4],[6,6],[4,6],[4,4]]]}"#,
        );
        let pt = |x: f64, y: f64| Shape::Point((x, y));
        assert!(matches(&pt(1.0, 1.0), &poly));
        assert!(!matches(&pt(5.0, 5.0), &poly));
        assert!(!matches(&pt(11.0, 5.0), &poly));
        let multi = shape(
            r#"{"type":"Feature","geometry":{"type":"MultiPolygon","coordinates":[
                [[[0,0],[1,0],[1,1],[0,0]]], [[[5,5],[6,5],[6,6],[5,5]]]]}}"#,
        );
        assert!(matches(&pt(5.9, 5.5), &multi));
        assert!(!matches(&pt(3.0, 3.0), &multi));
    }

    #[test]
    fn refuses_what_the_server_refuses() {
        for s in [
            r#"{"type":"LineString","coordinates":[[0,0],[1,1]]}"#,
            r#"{"type":"Point","coordinates":[0,95]}"#,
            r#"{"type":"Point","coordinates":[0]}"#,
            r#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]}"#,
            r#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}"#,
            r#"{"coordinates":[0,0]}"#,
            "not json",
        ] {
            assert!(Shape::parse(s.as_bytes()).is_none(), "{s}");
        }
    }
}
