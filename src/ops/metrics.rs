//! Prometheus metrics, written in the text exposition format by hand: a few counters, gauges and
//! histograms do not need a metrics framework.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::time::Duration;

use crate::blocking::{self, Lane};
use crate::db::Db;

/// Upper bounds (seconds) of the latency buckets: from a cached page to a long render.
const BUCKETS: [f64; 14] = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0];

#[derive(Clone, Default)]
struct Histogram {
    /// Cumulative: `counts[i]` observations took at most `BUCKETS[i]`.
    counts: [u64; BUCKETS.len()],
    sum: f64,
    count: u64,
}

impl Histogram {
    fn observe(&mut self, secs: f64) {
        for (bound, count) in BUCKETS.iter().zip(self.counts.iter_mut()) {
            if secs <= *bound {
                *count += 1;
            }
        }
        self.sum += secs;
        self.count += 1;
    }

    fn write(&self, out: &mut String, name: &str, labels: &str) {
        for (bound, count) in BUCKETS.iter().zip(self.counts) {
            let _ = writeln!(out, "{name}_bucket{{{labels},le=\"{bound}\"}} {count}");
        }
        let _ = writeln!(out, "{name}_bucket{{{labels},le=\"+Inf\"}} {}", self.count);
        let _ = writeln!(out, "{name}_sum{{{labels}}} {}", self.sum);
        let _ = writeln!(out, "{name}_count{{{labels}}} {}", self.count);
    }
}

struct Registry {
    /// method → route → status → answers (nested so that counting a request allocates nothing).
    requests: BTreeMap<&'static str, BTreeMap<String, BTreeMap<u16, u64>>>,
    /// route → latency.
    latency: BTreeMap<String, Histogram>,
    /// document kind → render time.
    renders: BTreeMap<&'static str, Histogram>,
}

static REGISTRY: Mutex<Registry> =
    Mutex::new(Registry { requests: BTreeMap::new(), latency: BTreeMap::new(), renders: BTreeMap::new() });
static CONNECTIONS_OPEN: AtomicI64 = AtomicI64::new(0);
static CONNECTIONS_TOTAL: AtomicU64 = AtomicU64::new(0);

fn registry() -> std::sync::MutexGuard<'static, Registry> {
    // A panic while holding the lock leaves plain numbers behind: still good to report.
    REGISTRY.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The method as a metrics label; anything unusual is "other", so clients cannot add series.
pub fn method_label(method: &axum::http::Method) -> &'static str {
    use axum::http::Method;
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

/// Counts an answered request; `route` is the route's pattern (`/o/{slug}/`), never the raw path.
pub fn record_request(method: &'static str, route: &str, status: u16, elapsed: Duration) {
    let mut r = registry();
    *by_route(r.requests.entry(method).or_default(), route).entry(status).or_default() += 1;
    by_route(&mut r.latency, route).observe(elapsed.as_secs_f64());
}

/// `map`'s value for `route`, looked up by `&str`: a route's name is allocated once, at its first
/// request, not at every one as `entry` would.
fn by_route<'a, V: Default>(map: &'a mut BTreeMap<String, V>, route: &str) -> &'a mut V {
    if !map.contains_key(route) {
        map.insert(route.to_string(), V::default());
    }
    map.get_mut(route).expect("inserted above")
}

/// Records how long one PDF took to typeset.
pub fn record_render(kind: &'static str, elapsed: Duration) {
    registry().renders.entry(kind).or_default().observe(elapsed.as_secs_f64());
}

/// Counts an open connection while it lives.
pub struct OpenConnection(());

impl OpenConnection {
    pub fn start() -> Self {
        CONNECTIONS_OPEN.fetch_add(1, Ordering::Relaxed);
        CONNECTIONS_TOTAL.fetch_add(1, Ordering::Relaxed);
        OpenConnection(())
    }
}

impl Drop for OpenConnection {
    fn drop(&mut self) {
        CONNECTIONS_OPEN.fetch_sub(1, Ordering::Relaxed);
    }
}

fn escape(label: &str) -> String {
    label.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

fn header(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
}

/// (name, type, help, value) of one blocking-pool metric.
type PoolMetric = (&'static str, &'static str, &'static str, fn(&blocking::LaneStats) -> u64);

/// Everything, in the Prometheus text format (version 0.0.4).
pub fn render(db: &Db) -> String {
    let mut out = String::new();
    {
        let r = registry();
        header(&mut out, "prongsai_http_requests_total", "counter", "HTTP requests answered, by route and status.");
        for (method, routes) in &r.requests {
            for (route, statuses) in routes {
                for (status, n) in statuses {
                    let _ = writeln!(
                        out,
                        "prongsai_http_requests_total{{method=\"{method}\",route=\"{}\",status=\"{status}\"}} {n}",
                        escape(route)
                    );
                }
            }
        }
        header(&mut out, "prongsai_http_request_duration_seconds", "histogram", "Time to answer a request, by route.");
        for (route, h) in &r.latency {
            h.write(&mut out, "prongsai_http_request_duration_seconds", &format!("route=\"{}\"", escape(route)));
        }
        header(&mut out, "prongsai_pdf_render_seconds", "histogram", "Time to typeset one PDF, by document.");
        for (kind, h) in &r.renders {
            h.write(&mut out, "prongsai_pdf_render_seconds", &format!("document=\"{kind}\""));
        }
    }
    header(&mut out, "prongsai_http_connections_open", "gauge", "Client connections open now.");
    let _ = writeln!(out, "prongsai_http_connections_open {}", CONNECTIONS_OPEN.load(Ordering::Relaxed));
    header(&mut out, "prongsai_http_connections_total", "counter", "Client connections accepted.");
    let _ = writeln!(out, "prongsai_http_connections_total {}", CONNECTIONS_TOTAL.load(Ordering::Relaxed));

    let lanes = [Lane::Render, Lane::Hash].map(|l| (l.name(), blocking::stats(l)));
    let gauges: [PoolMetric; 5] = [
        ("prongsai_blocking_threads", "gauge", "Threads a lane of the blocking pool may use at once.", |s| {
            s.size as u64
        }),
        ("prongsai_blocking_running", "gauge", "Blocking work running now.", |s| s.running as u64),
        ("prongsai_blocking_queue_depth", "gauge", "Blocking work waiting for a thread.", |s| s.waiting as u64),
        ("prongsai_blocking_completed_total", "counter", "Blocking work finished.", |s| s.completed),
        ("prongsai_blocking_refused_total", "counter", "Work refused because the lane's queue was full.", |s| {
            s.refused
        }),
    ];
    for (name, kind, help, value) in gauges {
        header(&mut out, name, kind, help);
        for (lane, stats) in &lanes {
            let _ = writeln!(out, "{name}{{lane=\"{lane}\"}} {}", value(stats));
        }
    }

    let size = db.pool.size();
    let idle = db.pool.num_idle() as u32;
    header(&mut out, "prongsai_db_pool_connections", "gauge", "Database connections, by state.");
    let _ = writeln!(out, "prongsai_db_pool_connections{{state=\"idle\"}} {idle}");
    let _ = writeln!(out, "prongsai_db_pool_connections{{state=\"in_use\"}} {}", size.saturating_sub(idle));
    header(&mut out, "prongsai_db_pool_max_connections", "gauge", "Most database connections the pool opens.");
    let _ = writeln!(out, "prongsai_db_pool_max_connections {}", db.pool.options().get_max_connections());
    out
}
