//! `serve`'s inspector: the recent deliveries, kept in a bounded ring, and the JSON API and the
//! page (`inspector.html`, one static file) that show them, under `/_hookwarden/`.
//!
//! What the page and the API show of a delivery: its outcome, reason, timings, the provider's
//! delivery id and the replay identity, and its headers with every signature, token and
//! credential replaced by `(redacted)`. The body only when asked for, and the step-by-step
//! explanation `hookwarden verify` gives, for one that was refused. Memory is bounded: at most
//! [`KEEP`] deliveries, each body kept up to [`BODY_KEEP`] bytes.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use bytes::Bytes;
use http::{HeaderMap, Method};
use serde_json::{Value, json};

use crate::out;

/// How many recent deliveries are kept.
pub(crate) const KEEP: usize = 200;

/// The most bytes of one body kept (a larger one is kept cut, and said so).
pub(crate) const BODY_KEEP: usize = 256 * 1024;

/// How many minutes the chart covers.
const CHART_MINUTES: usize = 30;

/// The outcomes the chart counts, in its order.
pub(crate) const OUTCOMES: [&str; 4] = ["verified", "duplicate", "rejected", "handshake"];

/// One delivery `serve` received.
#[derive(Debug)]
pub(crate) struct Record {
    pub(crate) seq: u64,
    pub(crate) unix: i64,
    pub(crate) method: Method,
    pub(crate) path_and_query: String,
    /// `verified`, `duplicate`, `rejected` or `handshake`.
    pub(crate) outcome: &'static str,
    /// The reason code, for refused deliveries and copies.
    pub(crate) reason: Option<&'static str>,
    pub(crate) detail: Option<String>,
    pub(crate) status: u16,
    pub(crate) delivery_id: Option<String>,
    pub(crate) identity: Option<String>,
    pub(crate) key_id: Option<String>,
    /// From the first byte of the request to the answer, in milliseconds.
    pub(crate) total_ms: f64,
    /// How long the forward target took, in milliseconds.
    pub(crate) forward_ms: Option<f64>,
    pub(crate) forwarded: Option<Result<u16, String>>,
    /// The headers as received: private, for the explanation and a resend; shown redacted.
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
    pub(crate) body_len: usize,
    pub(crate) resends: Mutex<Vec<Value>>,
}

impl Record {
    /// What the list shows.
    pub(crate) fn summary(&self) -> Value {
        json!({
            "seq": self.seq,
            "time": out::rfc3339(self.unix),
            "unix": self.unix,
            "method": self.method.as_str(),
            "path": self.path_and_query,
            "outcome": self.outcome,
            "reason": self.reason,
            "status": self.status,
            "delivery_id": self.delivery_id,
            "identity": self.identity,
            "total_ms": round(self.total_ms),
        })
    }

    /// What the detail pane shows: the summary, the redacted headers and the timings.
    pub(crate) fn detail(&self, token_headers: &[String]) -> Value {
        let headers: Vec<Value> = self
            .headers
            .iter()
            .map(|(name, value)| {
                let shown = if out::is_sensitive_header(name.as_str(), token_headers) {
                    "(redacted)".to_owned()
                } else {
                    out::preview(value.as_bytes(), 200)
                };
                json!([name.as_str(), shown])
            })
            .collect();
        let mut detail = self.summary();
        detail["detail"] = json!(self.detail);
        detail["key_id"] = json!(self.key_id);
        detail["headers"] = Value::Array(headers);
        detail["body_len"] = json!(self.body_len);
        detail["body_kept"] = json!(self.body.len());
        detail["forward_ms"] = json!(self.forward_ms.map(round));
        detail["forwarded"] = match &self.forwarded {
            None => Value::Null,
            Some(Ok(status)) => json!({ "status": status }),
            Some(Err(error)) => json!({ "error": error }),
        };
        detail["resends"] = Value::Array(self.resends.lock().unwrap_or_else(PoisonError::into_inner).clone());
        detail
    }
}

fn round(ms: f64) -> f64 {
    (ms * 100.0).round() / 100.0
}

/// The recent deliveries and the per-minute counts.
#[derive(Debug, Default)]
pub(crate) struct Recent {
    next_seq: AtomicU64,
    ring: Mutex<VecDeque<Arc<Record>>>,
    /// (minute since the epoch, counts by [`OUTCOMES`]), oldest first.
    minutes: Mutex<VecDeque<(i64, [u64; 4])>>,
}

impl Recent {
    /// The next sequence number.
    pub(crate) fn next_seq(&self) -> u64 {
        self.next_seq.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// Keeps `record`, forgetting the oldest past [`KEEP`], and counts it for the chart.
    pub(crate) fn push(&self, record: Record) {
        let minute = record.unix.div_euclid(60);
        let slot = OUTCOMES.iter().position(|o| *o == record.outcome).unwrap_or(2);
        {
            let mut minutes = self.minutes.lock().unwrap_or_else(PoisonError::into_inner);
            match minutes.back_mut() {
                Some((last, counts)) if *last == minute => counts[slot] += 1,
                _ => {
                    let mut counts = [0; 4];
                    counts[slot] = 1;
                    minutes.push_back((minute, counts));
                }
            }
            while minutes.front().is_some_and(|(m, _)| *m <= minute - CHART_MINUTES as i64) {
                minutes.pop_front();
            }
        }
        let mut ring = self.ring.lock().unwrap_or_else(PoisonError::into_inner);
        if ring.len() == KEEP {
            ring.pop_front();
        }
        ring.push_back(Arc::new(record));
    }

    /// The deliveries kept, newest first.
    pub(crate) fn list(&self) -> Vec<Arc<Record>> {
        self.ring.lock().unwrap_or_else(PoisonError::into_inner).iter().rev().cloned().collect()
    }

    /// The delivery numbered `seq`, if still kept.
    pub(crate) fn get(&self, seq: u64) -> Option<Arc<Record>> {
        self.ring.lock().unwrap_or_else(PoisonError::into_inner).iter().find(|r| r.seq == seq).cloned()
    }

    /// Deliveries per minute by outcome, for the last [`CHART_MINUTES`] minutes up to `now`.
    pub(crate) fn chart(&self, now: i64) -> Value {
        let current = now.div_euclid(60);
        let minutes = self.minutes.lock().unwrap_or_else(PoisonError::into_inner);
        let rows: Vec<Value> = (0..CHART_MINUTES as i64)
            .rev()
            .map(|ago| {
                let minute = current - ago;
                let counts = minutes.iter().find(|(m, _)| *m == minute).map_or([0; 4], |(_, c)| *c);
                let mut row = json!({ "minute": out::rfc3339(minute * 60) });
                for (outcome, count) in OUTCOMES.iter().zip(counts) {
                    row[*outcome] = json!(count);
                }
                row
            })
            .collect();
        json!({ "outcomes": OUTCOMES, "minutes": rows })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(recent: &Recent, unix: i64, outcome: &'static str) -> Record {
        Record {
            seq: recent.next_seq(),
            unix,
            method: Method::POST,
            path_and_query: "/".into(),
            outcome,
            reason: None,
            detail: None,
            status: 200,
            delivery_id: None,
            identity: None,
            key_id: None,
            total_ms: 1.0,
            forward_ms: None,
            forwarded: None,
            headers: HeaderMap::new(),
            body: Bytes::new(),
            body_len: 0,
            resends: Mutex::default(),
        }
    }

    #[test]
    fn the_ring_keeps_the_newest() {
        let recent = Recent::default();
        for i in 0..(KEEP as i64 + 5) {
            recent.push(record(&recent, 1_700_000_000 + i, "verified"));
        }
        let list = recent.list();
        assert_eq!(list.len(), KEEP);
        assert_eq!(list[0].seq, KEEP as u64 + 5);
        assert!(recent.get(1).is_none());
    }

    #[test]
    fn the_chart_counts_by_minute_and_outcome() {
        let recent = Recent::default();
        let now = 1_700_000_000 - 1_700_000_000 % 60;
        recent.push(record(&recent, now - 60, "rejected"));
        recent.push(record(&recent, now, "verified"));
        recent.push(record(&recent, now + 1, "verified"));
        let chart = recent.chart(now + 2);
        let minutes = chart["minutes"].as_array().unwrap();
        assert_eq!(minutes.len(), CHART_MINUTES);
        assert_eq!(minutes[CHART_MINUTES - 1]["verified"], 2);
        assert_eq!(minutes[CHART_MINUTES - 2]["rejected"], 1);
    }
}
