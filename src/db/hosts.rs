//! PostgreSQL URLs that name several hosts, in libpq's form (`postgres://user@h1:5442,h2:5443/db`),
//! as `pg_autoctl show uri` prints them. sqlx takes one host per URL, so we split the list and make
//! one single-host URL per server; [`super::failover`] then finds the primary among them.

use anyhow::{Context, bail};

/// The servers of a multi-host URL and what they share (user, password, database, parameters).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostList {
    /// `postgres://` plus the user information with its `@`, if any.
    prefix: String,
    /// `(host, port)` in the order given: the order in which they are tried.
    hosts: Vec<(String, u16)>,
    /// The path and query after the hosts, without `target_session_attrs` (we always seek the primary).
    rest: String,
}

impl HostList {
    /// Splits a PostgreSQL URL into its hosts; `None` when it names one server (or a socket), which
    /// then goes to sqlx unchanged.
    pub fn parse(url: &str) -> anyhow::Result<Option<Self>> {
        let scheme_end = url.find("://").context("a PostgreSQL URL needs postgres://")? + 3;
        let scheme = &url[..scheme_end];
        if scheme != "postgres://" && scheme != "postgresql://" {
            bail!("not a PostgreSQL URL (must start with postgres://)");
        }
        let after = &url[scheme_end..];
        let authority_end = after.find(['/', '?', '#']).unwrap_or(after.len());
        let authority = &after[..authority_end];
        // User information ends at the last '@': a password must percent-encode its own '@'.
        let (userinfo, hostlist) = match authority.rfind('@') {
            Some(at) => (&authority[..=at], &authority[at + 1..]),
            None => ("", authority),
        };
        if !hostlist.contains(',') {
            return Ok(None);
        }
        let hosts = hostlist.split(',').map(parse_host).collect::<anyhow::Result<Vec<_>>>()?;
        Ok(Some(HostList {
            prefix: format!("{scheme}{userinfo}"),
            hosts,
            rest: without_session_attrs(&after[authority_end..]),
        }))
    }

    /// The servers in the order they are tried.
    pub fn hosts(&self) -> &[(String, u16)] {
        &self.hosts
    }

    /// A URL for the `i`-th server alone, as sqlx accepts it.
    pub fn url_for(&self, i: usize) -> String {
        let (host, port) = &self.hosts[i];
        let host = if host.contains(':') { format!("[{host}]") } else { host.clone() };
        format!("{}{host}:{port}{}", self.prefix, self.rest)
    }
}

/// `host`, `host:port`, `[v6]` or `[v6]:port`; the port defaults to 5432 as in libpq.
fn parse_host(s: &str) -> anyhow::Result<(String, u16)> {
    let (host, port) = if let Some(v6) = s.strip_prefix('[') {
        let close = v6.find(']').with_context(|| format!("unclosed '[' in host {s:?}"))?;
        let port = v6[close + 1..].strip_prefix(':');
        if port.is_none() && close + 1 != v6.len() {
            bail!("unexpected text after ']' in host {s:?}");
        }
        (&v6[..close], port)
    } else {
        match s.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (s, None),
        }
    };
    if host.is_empty() {
        bail!("an empty host in the host list ({s:?}): write host:port for each server");
    }
    let port = match port {
        Some(p) => {
            p.parse::<u16>().ok().filter(|p| *p != 0).with_context(|| format!("bad port {p:?} for host {host}"))?
        }
        None => 5432,
    };
    Ok((host.to_string(), port))
}

/// Drops `target_session_attrs=…` from the query: sqlx does not know it, and we always look for
/// the server that accepts writes.
fn without_session_attrs(rest: &str) -> String {
    let Some((path, query)) = rest.split_once('?') else { return rest.to_string() };
    let kept: Vec<&str> =
        query.split('&').filter(|p| !p.is_empty() && !p.starts_with("target_session_attrs=")).collect();
    if kept.is_empty() { path.to_string() } else { format!("{path}?{}", kept.join("&")) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(url: &str) -> HostList {
        HostList::parse(url).unwrap().expect("several hosts")
    }

    #[test]
    fn pg_autoctls_uri_gives_one_url_per_node() {
        let list =
            list("postgres://127.0.0.1:5442,127.0.0.1:5443/prongsai?target_session_attrs=read-write&sslmode=prefer");
        assert_eq!(list.url_for(0), "postgres://127.0.0.1:5442/prongsai?sslmode=prefer");
        assert_eq!(list.url_for(1), "postgres://127.0.0.1:5443/prongsai?sslmode=prefer");
    }

    #[test]
    fn user_and_password_go_to_every_host() {
        let list = list("postgresql://app:s%40cret@db1:5442,db2/prongsai");
        assert_eq!(list.hosts(), &[("db1".to_string(), 5442), ("db2".to_string(), 5432)]);
        assert_eq!(list.url_for(1), "postgresql://app:s%40cret@db2:5432/prongsai");
    }

    #[test]
    fn single_host_urls_and_sockets_are_left_to_sqlx() {
        for url in
            ["postgres://postgres@127.0.0.1:5432/postgres?application_name=a,b", "postgres:///db", "postgres://h"]
        {
            assert_eq!(HostList::parse(url).unwrap(), None, "{url}");
        }
    }

    #[test]
    fn target_session_attrs_is_dropped_and_other_parameters_kept() {
        assert_eq!(list("postgres://h1,h2?target_session_attrs=any").url_for(1), "postgres://h2:5432");
        assert_eq!(
            list("postgres://h1,h2/d?a=1&target_session_attrs=read-write&b=2").url_for(0),
            "postgres://h1:5432/d?a=1&b=2"
        );
    }

    #[test]
    fn ipv6_hosts_keep_their_brackets() {
        let list = list("postgres://u@[::1]:5442,[fe80::2]/db");
        assert_eq!(list.hosts(), &[("::1".to_string(), 5442), ("fe80::2".to_string(), 5432)]);
        assert_eq!(list.url_for(0), "postgres://u@[::1]:5442/db");
    }

    #[test]
    fn bad_host_lists_are_refused_with_the_culprit_named() {
        for (url, culprit) in [
            ("postgres://u@h1:5442,,h2/db", "empty host"),
            ("postgres://u@h1:54x2,h2/db", "54x2"),
            ("postgres://u@h1:0,h2/db", "bad port"),
            ("postgres://u@h1,h2:70000/db", "70000"),
            ("postgres://u@[::1,h2/db", "unclosed"),
            ("postgres://u@[::1]x,h2/db", "after ']'"),
            ("postgres://,h2/db", "empty host"),
            ("mysql://h1,h2/db", "not a PostgreSQL URL"),
        ] {
            let err = format!("{:#}", HostList::parse(url).expect_err(url));
            assert!(err.contains(culprit), "{url}: {err}");
        }
    }
}
