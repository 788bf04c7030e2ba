//! The client's address, for throttling and the audit: the socket's peer, or, when the peer is a
//! configured trusted proxy (`PRONGSAI_TRUSTED_PROXIES`), the address it forwarded. A client
//! talking to the server directly cannot choose its address with `X-Forwarded-For`.

use std::net::{IpAddr, SocketAddr};
use std::str::FromStr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;

use super::AppError;
use crate::app::AppState;

/// An address or a network (`10.0.0.0/8`, `fd00::/8`, `127.0.0.1`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cidr {
    addr: IpAddr,
    prefix: u8,
}

impl FromStr for Cidr {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("\"{s}\" is not an IP address or network (e.g. 10.0.0.0/8)");
        let (addr, prefix) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let addr: IpAddr = addr.trim().parse().map_err(|_| bad())?;
        let addr = addr.to_canonical();
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(p) => p.trim().parse::<u8>().ok().filter(|p| *p <= max).ok_or_else(bad)?,
            None => max,
        };
        Ok(Cidr { addr, prefix })
    }
}

impl Cidr {
    pub fn contains(&self, ip: IpAddr) -> bool {
        let bits = |ip: IpAddr| -> (u128, u32) {
            match ip.to_canonical() {
                IpAddr::V4(v4) => (u128::from(u32::from(v4)), 32),
                IpAddr::V6(v6) => (u128::from(v6), 128),
            }
        };
        let ((net, width), (ip, ip_width)) = (bits(self.addr), bits(ip));
        if width != ip_width {
            return false;
        }
        let shift = width - u32::from(self.prefix);
        shift >= width || (net >> shift) == (ip >> shift)
    }
}

/// Parses a list of addresses or networks separated by commas or spaces.
pub fn parse_trusted(list: &str) -> Result<Vec<Cidr>, String> {
    list.split([',', ' ']).filter(|s| !s.trim().is_empty()).map(str::parse).collect()
}

/// The peer itself, unless it is a trusted proxy: then the right-most `X-Forwarded-For` entry that
/// is not a trusted proxy (entries further left were written by the client and prove nothing).
pub fn client_ip(peer: IpAddr, forwarded_for: &[&str], trusted: &[Cidr]) -> IpAddr {
    let is_trusted = |ip: IpAddr| trusted.iter().any(|c| c.contains(ip));
    let peer = peer.to_canonical();
    if !is_trusted(peer) {
        return peer;
    }
    let mut client = peer;
    for entry in forwarded_for.iter().flat_map(|v| v.split(',')).rev() {
        match entry.trim().parse::<IpAddr>() {
            Ok(ip) => {
                client = ip.to_canonical();
                if !is_trusted(client) {
                    break;
                }
            }
            // A garbled entry: stop at the last address that was vouched for.
            Err(_) => break,
        }
    }
    client
}

/// The client's address as [`client_ip`] decides it.
#[derive(Clone, Copy, Debug)]
pub struct ClientIp(pub IpAddr);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip())
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("no peer address: serve with connect info")))?;
        let forwarded: Vec<&str> =
            parts.headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()).collect();
        Ok(ClientIp(client_ip(peer, &forwarded, &state.settings.trusted_proxies)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn forwarded_for_is_believed_only_from_a_trusted_proxy() {
        let trusted = parse_trusted("10.0.0.0/8, ::1").unwrap();
        // A client talking directly cannot pick its address.
        assert_eq!(client_ip(ip("203.0.113.9"), &["1.2.3.4"], &trusted), ip("203.0.113.9"));
        // Behind the proxy: the address the proxy saw, not what the client wrote before it.
        assert_eq!(client_ip(ip("10.1.2.3"), &["1.2.3.4, 198.51.100.7"], &trusted), ip("198.51.100.7"));
        assert_eq!(client_ip(ip("::1"), &["198.51.100.7", "10.9.9.9"], &trusted), ip("198.51.100.7"));
        assert_eq!(client_ip(ip("10.1.2.3"), &[], &trusted), ip("10.1.2.3"));
        assert_eq!(client_ip(ip("::ffff:203.0.113.9"), &[], &[]), ip("203.0.113.9"));
    }

    #[test]
    fn networks_contain_their_addresses_only() {
        let net: Cidr = "192.168.1.0/24".parse().unwrap();
        assert!(net.contains(ip("192.168.1.200")));
        assert!(!net.contains(ip("192.168.2.1")));
        assert!("0.0.0.0/0".parse::<Cidr>().unwrap().contains(ip("8.8.8.8")));
        assert!("fd00::/8".parse::<Cidr>().unwrap().contains(ip("fd12::1")));
        assert!("10.0.0.0/33".parse::<Cidr>().is_err());
        assert!(parse_trusted("proxy.local").is_err());
    }
}
