//! glibc's malloc tuned for a long-running server: large blocks are given back to the system.
//!
//! glibc serves a block above its mmap threshold (128 KB at start) with a mapping of its own and
//! unmaps it when freed, but each such block freed raises the threshold to its size (up to 32 MB).
//! After one large document (its JSON, the render worker's PDF, the response: MBs each), every
//! later block of up to that size comes from the threads' heaps, and stays there when freed. A
//! fixed threshold keeps large blocks mapped and returned: after a 1,000-measure PDF the server
//! held 109 MB without it and 86 MB with it (`scripts/bench-memory.sh`, docs/benchmarks.md).
//!
//! `mallopt` would set it from inside, but it is `unsafe` FFI, which this crate forbids; glibc also
//! reads `GLIBC_TUNABLES` when a process starts. So `prongsai serve` starts itself again, once,
//! with the threshold added to that variable. An operator's own threshold there is kept, and the
//! render worker is started without ours (its memory goes back when it exits anyway, and its
//! typesetting allocates large blocks often).

use std::ffi::OsString;

/// The variable glibc reads its tunables from.
pub const VARIABLE: &str = "GLIBC_TUNABLES";

/// Ours: the threshold fixed at glibc's default starting value.
const OURS: &str = "glibc.malloc.mmap_threshold=131072";

/// The variable's value with ours added, or None when it sets a threshold already (ours, after
/// the restart, or the operator's).
fn with_ours(current: &str) -> Option<String> {
    if current.contains("glibc.malloc.mmap_threshold") {
        return None;
    }
    Some(if current.is_empty() { OURS.to_string() } else { format!("{current}:{OURS}") })
}

/// The variable's value without ours (None: nothing left, remove it).
pub fn without_ours(current: &str) -> Option<String> {
    let rest: Vec<&str> = current.split(':').filter(|t| *t != OURS && !t.is_empty()).collect();
    (!rest.is_empty()).then(|| rest.join(":"))
}

/// Starts this process again with the threshold set, unless it is set already; returns only if
/// it is, or if starting again failed (then the server runs untuned, and says so).
pub fn restart_tuned() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        use std::os::unix::process::CommandExt as _;
        let current = std::env::var(VARIABLE).unwrap_or_default();
        let Some(tunables) = with_ours(&current) else { return };
        let Ok(exe) = std::env::current_exe() else { return };
        let mut args = std::env::args_os();
        let arg0 = args.next().unwrap_or_else(|| OsString::from("prongsai"));
        let error = std::process::Command::new(exe).arg0(arg0).args(args).env(VARIABLE, tunables).exec();
        eprintln!("note: serving with glibc's default malloc settings (restarting with {OURS} failed: {error})");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ours_is_added_once_beside_the_operators_and_taken_away_again() {
        assert_eq!(with_ours("").as_deref(), Some(OURS));
        let theirs = "glibc.malloc.arena_max=2";
        let both = with_ours(theirs).unwrap();
        assert_eq!(both, format!("{theirs}:{OURS}"));
        assert_eq!(with_ours(&both), None, "set already: no second restart");
        assert_eq!(with_ours("glibc.malloc.mmap_threshold=65536"), None, "the operator's threshold is kept");
        assert_eq!(without_ours(&both).as_deref(), Some(theirs));
        assert_eq!(without_ours(OURS), None);
        assert_eq!(
            without_ours("glibc.malloc.mmap_threshold=65536").as_deref(),
            Some("glibc.malloc.mmap_threshold=65536")
        );
    }
}
