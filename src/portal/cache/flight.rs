//! One render at a time per page. When a kept page has gone stale, the first request for it
//! renders it again (the leader) and the requests for the same page that arrive meanwhile wait for
//! that render, then look in the cache again. Without this, a change seen by 64 visitors at once
//! costs 64 renders of the same page. (The cache asks for a turn only for a page it kept before: a
//! path whose answer is never kept, a staff page or an unknown slug, never waits.)
//!
//! A follower waits only for the leader's render, never for another follower: if the leader's
//! answer was not kept (an error, a page with a cookie, a change committed while it rendered),
//! each follower renders its own, as it would have without waiting. The leader's turn ends when
//! its [`Leader`] is dropped, also when its request is cancelled mid-render, so no one waits for a
//! render that will not finish.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::{OwnedRwLockWriteGuard, RwLock};

/// The renders running now, by page key (entries live only while their render runs).
#[derive(Default)]
pub struct Flights {
    running: Mutex<HashMap<Box<str>, Arc<RwLock<()>>>>,
}

/// What a request that found no fresh page does.
pub enum Turn<'a> {
    /// No one is rendering the page: this request does; the others wait until it drops this.
    Lead(Leader<'a>),
    /// Another request is rendering the page: wait for it, then look in the cache again.
    Follow(Render),
}

/// The leader's turn; dropping it lets the followers go.
pub struct Leader<'a> {
    flights: &'a Flights,
    key: Box<str>,
    render: Arc<RwLock<()>>,
    // Declared last: released after `drop` has taken the key out of the running renders, so a
    // request arriving after the render ended takes a turn of its own instead of waiting on it.
    _running: OwnedRwLockWriteGuard<()>,
}

/// A render another request is running.
pub struct Render(Arc<RwLock<()>>);

impl Flights {
    /// Takes the turn to render `key`, or the render to wait for when another request has it.
    pub fn begin(&self, key: &str) -> Turn<'_> {
        let mut running = self.running.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(render) = running.get(key) {
            return Turn::Follow(Render(Arc::clone(render)));
        }
        let render = Arc::new(RwLock::new(()));
        let guard = Arc::clone(&render).try_write_owned().expect("a lock made here is free");
        running.insert(key.into(), Arc::clone(&render));
        Turn::Lead(Leader { flights: self, key: key.into(), render, _running: guard })
    }

    /// How many renders are running now.
    #[cfg(test)]
    fn running(&self) -> usize {
        self.running.lock().unwrap_or_else(PoisonError::into_inner).len()
    }
}

impl Render {
    /// Returns when the leader's turn has ended, however it ended.
    pub async fn finished(self) {
        drop(self.0.read().await);
    }
}

impl Drop for Leader<'_> {
    fn drop(&mut self) {
        let mut running = self.flights.running.lock().unwrap_or_else(PoisonError::into_inner);
        if running.get(&self.key).is_some_and(|render| Arc::ptr_eq(render, &self.render)) {
            running.remove(&self.key);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[tokio::test]
    async fn followers_wait_for_the_leader_and_a_cancelled_leader_lets_them_go() {
        let flights = Flights::default();
        let Turn::Lead(leader) = flights.begin("/o/a/") else { panic!("the first request leads") };
        let Turn::Follow(render) = flights.begin("/o/a/") else { panic!("the second follows") };
        assert!(matches!(flights.begin("/o/b/"), Turn::Lead(_)), "another page has its own turn");
        let waiting = tokio::spawn(render.finished());
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert!(!waiting.is_finished(), "the follower waits while the leader renders");
        // The leader's request is dropped mid-render (the client went away).
        drop(leader);
        tokio::time::timeout(Duration::from_secs(5), waiting).await.expect("the follower is let go").unwrap();
        assert_eq!(flights.running(), 0);
        assert!(matches!(flights.begin("/o/a/"), Turn::Lead(_)), "the next miss leads again");
    }
}
