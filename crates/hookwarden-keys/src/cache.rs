//! Keys kept after their fetch, until they expire.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use url::Url;

use crate::error::KeyError;
use crate::fetch::Fetcher;

/// The most keys a cache holds. Allowed URLs are few (one certificate per SNS region and
/// rotation, one JWKS), so a full cache means someone is sending many URLs: the oldest entry
/// makes room.
pub const MAX_ENTRIES: usize = 64;

/// A parsed key (a certificate's public key, a JWKS) per URL, each kept for the cache's TTL.
///
/// A failed fetch is remembered for [`FAILURE_TTL`], so that a flood of deliveries naming a
/// missing certificate on an allowed host costs one fetch, not one per delivery. Deliveries
/// that miss at once wait for one fetch per URL (the first one's), not one each; deliveries
/// for other URLs do not wait.
pub struct KeyCache<K> {
    entries: Mutex<HashMap<Url, (Instant, Arc<K>)>>,
    failures: Mutex<HashMap<Url, (Instant, KeyError)>>,
    fetching: Mutex<HashMap<Url, Arc<tokio::sync::Mutex<()>>>>,
    ttl: Duration,
}

/// How long a failed fetch (or an unusable document) is answered from the cache.
pub const FAILURE_TTL: Duration = Duration::from_secs(10);

impl<K> KeyCache<K> {
    /// An empty cache keeping each key for `ttl`.
    pub fn new(ttl: Duration) -> Self {
        Self {
            entries: Mutex::new(HashMap::new()),
            failures: Mutex::new(HashMap::new()),
            fetching: Mutex::new(HashMap::new()),
            ttl,
        }
    }

    /// The key at `url`: cached, or fetched with `fetcher` and parsed with `parse`.
    ///
    /// # Errors
    ///
    /// The fetcher's error, or the parser's.
    pub async fn get(
        &self,
        url: &Url,
        fetcher: &dyn Fetcher,
        parse: impl FnOnce(&[u8]) -> Result<K, KeyError>,
    ) -> Result<Arc<K>, KeyError> {
        if let Some(key) = self.cached(url) {
            return Ok(key);
        }
        if let Some(err) = self.failed(url) {
            return Err(err);
        }
        // One fetch per URL at a time: later deliveries wait for it, then read its outcome.
        let turn = {
            let mut fetching = self.fetching.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            Arc::clone(fetching.entry(url.clone()).or_default())
        };
        let result = {
            let _turn = turn.lock().await;
            if let Some(key) = self.cached(url) {
                Ok(key)
            } else if let Some(err) = self.failed(url) {
                Err(err)
            } else {
                self.refresh(url, fetcher, parse).await
            }
        };
        // The last one out removes the URL's turn: the map holds only URLs being fetched.
        let mut fetching = self.fetching.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if Arc::strong_count(&turn) == 2 {
            fetching.remove(url);
        }
        result
    }

    /// Fetches the key at `url` again, whatever the cache holds (a JWKS that lacks a new `kid`).
    ///
    /// # Errors
    ///
    /// As [`get`](Self::get).
    pub async fn refresh(
        &self,
        url: &Url,
        fetcher: &dyn Fetcher,
        parse: impl FnOnce(&[u8]) -> Result<K, KeyError>,
    ) -> Result<Arc<K>, KeyError> {
        let key = match fetcher.fetch(url).await.and_then(|document| parse(&document)) {
            Ok(key) => Arc::new(key),
            Err(err) => {
                let mut failures = self.failures.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                let now = Instant::now();
                failures.retain(|_, (until, _)| *until > now);
                if failures.len() < MAX_ENTRIES {
                    failures.insert(url.clone(), (now + FAILURE_TTL, err.clone()));
                }
                return Err(err);
            }
        };
        let mut entries = self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let now = Instant::now();
        entries.retain(|_, (expires, _)| *expires > now);
        if entries.len() >= MAX_ENTRIES
            && let Some(oldest) =
                entries.iter().min_by_key(|(_, (expires, _))| *expires).map(|(url, _)| url.clone())
        {
            entries.remove(&oldest);
        }
        entries.insert(url.clone(), (now + self.ttl, Arc::clone(&key)));
        Ok(key)
    }

    /// How old the cached key at `url` is allowed to get before it is fetched again.
    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    fn failed(&self, url: &Url) -> Option<KeyError> {
        let failures = self.failures.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        failures.get(url).filter(|(until, _)| *until > Instant::now()).map(|(_, err)| err.clone())
    }

    fn cached(&self, url: &Url) -> Option<Arc<K>> {
        let entries = self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        entries.get(url).filter(|(expires, _)| *expires > Instant::now()).map(|(_, key)| Arc::clone(key))
    }
}

impl<K> fmt::Debug for KeyCache<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let len = self.entries.lock().map_or(0, |entries| entries.len());
        f.debug_struct("KeyCache").field("entries", &len).field("ttl", &self.ttl).finish()
    }
}
