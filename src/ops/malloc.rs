//! glibc's malloc tuned for a long-running server: large blocks are given back to the system.
//!
//! glibc serves a block above its mmap threshold (128 KB at start) with a mapping of its own and
//! unmaps it when freed, but each such block freed raises the threshold to its size (up to 32 MB).
//! After one large document (its JSON, the render worker's PDF, the response: MBs each), every
//! later block of up to that size comes from the threads' heaps, and stays there when freed. A
//! fixed threshold keeps large blocks mapped and returned: after a 1,000-measure PDF the server
//! held 109 MB without it and 88 MB with it (`scripts/bench-memory.sh`, docs/benchmarks.md).
//!
//! `mallopt` would set it from inside, but it is `unsafe` FFI, which this crate forbids; glibc also
//! reads `GLIBC_TUNABLES` when a process starts. So `prongsai serve` starts itself again, once,
//! with the threshold in that variable. An operator who sets `GLIBC_TUNABLES` (or the older
//! `MALLOC_MMAP_THRESHOLD_`) tunes malloc themselves, and it is left alone: no restart. (Adding ours
//! beside theirs cannot be done faithfully: glibc cuts the variable at its first `:` in the
//! process's environment once it has read it, so the rest is no longer there to keep.) The render
//! worker is started without ours (its memory goes back when it exits anyway, and its typesetting
//! allocates large blocks often). A marker variable of our own makes the restart happen once even
//! where the loader drops `GLIBC_TUNABLES` (a binary with raised privileges, e.g. given a
//! capability to bind port 443).

/// The variable glibc reads its tunables from.
pub const VARIABLE: &str = "GLIBC_TUNABLES";

/// Ours: the threshold fixed at glibc's default starting value.
const OURS: &str = "glibc.malloc.mmap_threshold=131072";

/// Set on the restart: there is never a second one.
const RESTARTED: &str = "PRONGSAI_MALLOC_RESTARTED";

/// The older name glibc also reads the threshold from.
const OLD_THRESHOLD: &str = "MALLOC_MMAP_THRESHOLD_";

/// Whether the render worker should be started without the variable: it holds ours alone.
pub fn is_ours(current: &str) -> bool {
    current == OURS
}

/// Starts this process again with the threshold set, unless malloc is tuned already (by us or the
/// operator); returns only then, or if starting again failed (the server runs untuned, and says so).
pub fn restart_tuned() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        use std::ffi::OsString;
        use std::os::unix::process::CommandExt as _;
        if std::env::var_os(RESTARTED).is_some() || std::env::var_os(OLD_THRESHOLD).is_some() {
            return;
        }
        // The operator's own settings, or ours after the restart: nothing to do.
        if std::env::var_os(VARIABLE).is_some() {
            return;
        }
        let mut args = std::env::args_os();
        let arg0 = args.next().unwrap_or_else(|| OsString::from("prongsai"));
        // The running image itself, even if the file was replaced since.
        let error = std::process::Command::new("/proc/self/exe")
            .arg0(arg0)
            .args(args)
            .env(VARIABLE, OURS)
            .env(RESTARTED, "1")
            .exec();
        eprintln!("note: serving with glibc's default malloc settings (restarting with {OURS} failed: {error})");
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_our_own_setting_is_taken_from_the_render_worker() {
        assert!(super::is_ours("glibc.malloc.mmap_threshold=131072"));
        assert!(!super::is_ours("glibc.malloc.arena_max=2"));
        assert!(!super::is_ours("glibc.malloc.mmap_threshold=131072:glibc.malloc.arena_max=2"));
    }
}
