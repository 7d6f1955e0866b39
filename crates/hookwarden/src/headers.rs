//! Header lookup, independent of any one version of the `http` crate.
//!
//! Schemes read request headers through the [`Headers`] trait, so the core works with
//! `http::HeaderMap` (feature `http`, on by default), with a plain list of name/value pairs, or with
//! any type a framework brings. The [access controls](crate::access) read the forwarding headers,
//! every line of them, through [`HeaderValues`]. Names are compared ASCII case-insensitively.

use std::fmt;
use std::sync::Arc;

use crate::error::ConfigError;

/// A validated, lowercase header name.
///
/// Presets keep their names in `static`s built with [`HeaderName::from_static`]; with the `http`
/// feature the `http::HeaderName` is built once too, so a lookup in a `HeaderMap` never re-parses
/// the name. A `static`, not a `const`: a `const` name is built afresh (and dropped) wherever
/// it is used, on every request.
#[derive(Clone)]
pub struct HeaderName {
    name: Repr,
    #[cfg(feature = "http")]
    http: http::HeaderName,
}

#[derive(Clone)]
enum Repr {
    Static(&'static str),
    Shared(Arc<str>),
}

impl HeaderName {
    /// A header name known at compile time.
    ///
    /// # Panics
    ///
    /// When `name` is not a lowercase HTTP token; in a `const` this is a compile error.
    pub const fn from_static(name: &'static str) -> Self {
        assert!(is_lowercase_token(name.as_bytes()), "header names must be lowercase tokens");
        Self {
            name: Repr::Static(name),
            #[cfg(feature = "http")]
            http: http::HeaderName::from_static(name),
        }
    }

    /// A header name chosen at run time (for example in a custom scheme), lowercased.
    ///
    /// # Errors
    ///
    /// [`ConfigError::InvalidHeaderName`] when `name` is empty or not an HTTP token.
    pub fn new(name: &str) -> Result<Self, ConfigError> {
        let invalid = || ConfigError::InvalidHeaderName { name: name.to_owned() };
        let lower = name.to_ascii_lowercase();
        if !is_lowercase_token(lower.as_bytes()) {
            return Err(invalid());
        }
        Ok(Self {
            #[cfg(feature = "http")]
            http: http::HeaderName::from_bytes(lower.as_bytes()).map_err(|_| invalid())?,
            name: Repr::Shared(lower.into()),
        })
    }

    /// The name, lowercase.
    pub fn as_str(&self) -> &str {
        match &self.name {
            Repr::Static(name) => name,
            Repr::Shared(name) => name,
        }
    }
}

impl PartialEq for HeaderName {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for HeaderName {}

impl fmt::Debug for HeaderName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for HeaderName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// RFC 9110 `token`, restricted to lowercase so names compare byte for byte.
const fn is_lowercase_token(name: &[u8]) -> bool {
    if name.is_empty() {
        return false;
    }
    let mut i = 0;
    while i < name.len() {
        let ok = matches!(name[i],
            b'a'..=b'z' | b'0'..=b'9' | b'!' | b'#' | b'$' | b'%' | b'&' | b'\'' | b'*'
            | b'+' | b'-' | b'.' | b'^' | b'_' | b'`' | b'|' | b'~');
        if !ok {
            return false;
        }
        i += 1;
    }
    true
}

/// What a header lookup found.
///
/// Duplicates are reported rather than resolved, so that every scheme decides about them
/// deliberately (the presets reject a repeated signature, timestamp or id header).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookup<'a> {
    /// The header is absent.
    Missing,
    /// The header appears exactly once, with this value.
    One(&'a [u8]),
    /// The header appears more than once.
    Many,
}

/// Read access to request headers.
///
/// # Example
///
/// ```
/// use hookwarden::headers::{HeaderName, Headers, Lookup};
///
/// let headers = [("Webhook-Id", "msg_1")];
/// let name = HeaderName::from_static("webhook-id");
/// assert_eq!(headers.as_slice().lookup(&name), Lookup::One(b"msg_1"));
/// ```
pub trait Headers {
    /// Finds the header called `name`, ignoring ASCII case.
    fn lookup(&self, name: &HeaderName) -> Lookup<'_>;

    /// Finds each of `names`, writing what was found at the same index of `found`.
    ///
    /// Schemes that read several headers call this once. The default looks each name up in
    /// turn; a map that can find them all in one pass overrides it.
    ///
    /// # Panics
    ///
    /// When `names` and `found` differ in length.
    fn lookup_each<'a>(&'a self, names: &[&HeaderName], found: &mut [Lookup<'a>]) {
        assert_eq!(names.len(), found.len(), "one result per name");
        for (name, found) in names.iter().zip(found) {
            *found = self.lookup(name);
        }
    }
}

impl<H: Headers + ?Sized> Headers for &H {
    fn lookup(&self, name: &HeaderName) -> Lookup<'_> {
        (**self).lookup(name)
    }

    fn lookup_each<'a>(&'a self, names: &[&HeaderName], found: &mut [Lookup<'a>]) {
        (**self).lookup_each(names, found);
    }
}

/// Name/value pairs, for users outside `http` (a queue message, a Lambda event, a test).
impl<K: AsRef<str>, V: AsRef<[u8]>> Headers for [(K, V)] {
    fn lookup(&self, name: &HeaderName) -> Lookup<'_> {
        lookup_pairs(self.iter().map(|(key, value)| (key.as_ref(), value.as_ref())), name)
    }
}

/// A map of names to values, the shape a Lambda or API Gateway event, a queue message or a test
/// often hands over. Names are compared ignoring ASCII case, so a map that holds two spellings
/// of one name reports that header as repeated (and a scheme refuses it).
impl<K: AsRef<str>, V: AsRef<[u8]>, S> Headers for std::collections::HashMap<K, V, S> {
    fn lookup(&self, name: &HeaderName) -> Lookup<'_> {
        lookup_pairs(self.iter().map(|(key, value)| (key.as_ref(), value.as_ref())), name)
    }
}

/// As for `HashMap`.
impl<K: AsRef<str>, V: AsRef<[u8]>> Headers for std::collections::BTreeMap<K, V> {
    fn lookup(&self, name: &HeaderName) -> Lookup<'_> {
        lookup_pairs(self.iter().map(|(key, value)| (key.as_ref(), value.as_ref())), name)
    }
}

/// The value of `name` among `pairs`, compared ignoring ASCII case.
fn lookup_pairs<'a>(pairs: impl Iterator<Item = (&'a str, &'a [u8])>, name: &HeaderName) -> Lookup<'a> {
    let mut found = pairs.filter(|(key, _)| key.eq_ignore_ascii_case(name.as_str())).map(|(_, value)| value);
    match (found.next(), found.next()) {
        (None, _) => Lookup::Missing,
        (Some(value), None) => Lookup::One(value),
        (Some(_), Some(_)) => Lookup::Many,
    }
}

impl<K: AsRef<str>, V: AsRef<[u8]>, const N: usize> Headers for [(K, V); N] {
    fn lookup(&self, name: &HeaderName) -> Lookup<'_> {
        self.as_slice().lookup(name)
    }
}

impl<K: AsRef<str>, V: AsRef<[u8]>> Headers for Vec<(K, V)> {
    fn lookup(&self, name: &HeaderName) -> Lookup<'_> {
        self.as_slice().lookup(name)
    }
}

#[cfg(feature = "http")]
impl Headers for http::HeaderMap {
    fn lookup(&self, name: &HeaderName) -> Lookup<'_> {
        // A map with as many values as names repeats no header: one `get` answers, without
        // walking the value list that only repeated headers have.
        if self.len() == self.keys_len() {
            return self.get(&name.http).map_or(Lookup::Missing, |value| Lookup::One(value.as_bytes()));
        }
        let mut found = self.get_all(&name.http).iter();
        match (found.next(), found.next()) {
            (None, _) => Lookup::Missing,
            (Some(value), None) => Lookup::One(value.as_bytes()),
            (Some(_), Some(_)) => Lookup::Many,
        }
    }

    fn lookup_each<'a>(&'a self, names: &[&HeaderName], found: &mut [Lookup<'a>]) {
        assert_eq!(names.len(), found.len(), "one result per name");
        // `get` hashes each custom name byte by byte (FNV); one pass comparing names costs less
        // while the map is small. It must repeat no header, so that each entry is one value.
        if self.len() != self.keys_len() || self.len() > ONE_PASS_MAX {
            for (name, found) in names.iter().zip(found) {
                *found = self.lookup(name);
            }
            return;
        }
        found.fill(Lookup::Missing);
        let mut missing = names.len();
        for (key, value) in self {
            if let Some(index) = names.iter().position(|name| name.http == *key) {
                found[index] = Lookup::One(value.as_bytes());
                missing -= 1;
                if missing == 0 {
                    return;
                }
            }
        }
        // A name asked for twice was found at its first index only.
        for index in 1..names.len() {
            if let Some(first) = names[..index].iter().position(|name| *name == names[index]) {
                found[index] = found[first];
            }
        }
    }
}

/// Every value of a header, in the order received.
///
/// Forwarding headers are lists that proxies append to, in one header line or in several, so
/// unlike [`Headers`] (which reports a repeated header as such) this sees every line. The
/// [access controls](crate::access) read them through it. Implemented for `http::HeaderMap`
/// (feature `http`) and for lists of name/value pairs; adapters implement it for their
/// framework's headers.
///
/// # Example
///
/// ```
/// use hookwarden::headers::{HeaderName, HeaderValues};
///
/// let headers = [("X-Forwarded-For", "198.51.100.1"), ("x-forwarded-for", "203.0.113.7, 10.0.0.2")];
/// let mut lines = Vec::new();
/// headers.for_each_value(&HeaderName::from_static("x-forwarded-for"), &mut |line| lines.push(line));
/// assert_eq!(lines, [b"198.51.100.1".as_slice(), b"203.0.113.7, 10.0.0.2"]);
/// ```
pub trait HeaderValues {
    /// Calls `each` with every value of the header called `name`, ignoring ASCII case, in the
    /// order they were received.
    fn for_each_value<'a>(&'a self, name: &HeaderName, each: &mut dyn FnMut(&'a [u8]));
}

impl<H: HeaderValues + ?Sized> HeaderValues for &H {
    fn for_each_value<'a>(&'a self, name: &HeaderName, each: &mut dyn FnMut(&'a [u8])) {
        (**self).for_each_value(name, each);
    }
}

impl<K: AsRef<str>, V: AsRef<[u8]>> HeaderValues for [(K, V)] {
    fn for_each_value<'a>(&'a self, name: &HeaderName, each: &mut dyn FnMut(&'a [u8])) {
        self.iter()
            .filter(|(key, _)| key.as_ref().eq_ignore_ascii_case(name.as_str()))
            .for_each(|(_, value)| each(value.as_ref()));
    }
}

impl<K: AsRef<str>, V: AsRef<[u8]>, const N: usize> HeaderValues for [(K, V); N] {
    fn for_each_value<'a>(&'a self, name: &HeaderName, each: &mut dyn FnMut(&'a [u8])) {
        self.as_slice().for_each_value(name, each);
    }
}

impl<K: AsRef<str>, V: AsRef<[u8]>> HeaderValues for Vec<(K, V)> {
    fn for_each_value<'a>(&'a self, name: &HeaderName, each: &mut dyn FnMut(&'a [u8])) {
        self.as_slice().for_each_value(name, each);
    }
}

impl<K: AsRef<str>, V: AsRef<[u8]>, S> HeaderValues for std::collections::HashMap<K, V, S> {
    fn for_each_value<'a>(&'a self, name: &HeaderName, each: &mut dyn FnMut(&'a [u8])) {
        self.iter()
            .filter(|(key, _)| key.as_ref().eq_ignore_ascii_case(name.as_str()))
            .for_each(|(_, value)| each(value.as_ref()));
    }
}

#[cfg(feature = "http")]
impl HeaderValues for http::HeaderMap {
    fn for_each_value<'a>(&'a self, name: &HeaderName, each: &mut dyn FnMut(&'a [u8])) {
        self.get_all(&name.http).iter().for_each(|value| each(value.as_bytes()));
    }
}

/// The most headers [`Headers::lookup_each`] scans in one pass on an `http::HeaderMap`.
#[cfg(feature = "http")]
const ONE_PASS_MAX: usize = 16;

#[cfg(test)]
mod tests {
    use super::*;

    const SIGNATURE: HeaderName = HeaderName::from_static("x-signature");

    #[test]
    fn pairs_are_case_insensitive_and_report_duplicates() {
        let one = [("X-Signature", "a")];
        assert_eq!(one.as_slice().lookup(&SIGNATURE), Lookup::One(b"a"));
        let two = [("x-signature", "a"), ("X-SIGNATURE", "b")];
        assert_eq!(two.as_slice().lookup(&SIGNATURE), Lookup::Many);
        let none: [(&str, &str); 0] = [];
        assert_eq!(none.as_slice().lookup(&SIGNATURE), Lookup::Missing);
    }

    #[test]
    fn maps_are_case_insensitive_and_report_two_spellings_as_repeated() {
        use std::collections::{BTreeMap, HashMap};
        let map: HashMap<String, String> = [("X-Signature".into(), "a".into())].into();
        assert_eq!(map.lookup(&SIGNATURE), Lookup::One(b"a"));
        let twice: HashMap<&str, &str> = [("x-signature", "a"), ("X-SIGNATURE", "b")].into();
        assert_eq!(twice.lookup(&SIGNATURE), Lookup::Many);
        let mut values = Vec::new();
        twice.for_each_value(&SIGNATURE, &mut |value| values.push(value));
        assert_eq!(values.len(), 2);
        let sorted: BTreeMap<&str, Vec<u8>> = [("accept", b"*/*".to_vec())].into();
        assert_eq!(sorted.lookup(&SIGNATURE), Lookup::Missing);
    }

    #[cfg(feature = "http")]
    #[test]
    fn header_map_lookup_reports_duplicates() {
        let mut map = http::HeaderMap::new();
        map.append("X-Signature", http::HeaderValue::from_static("a"));
        assert_eq!(map.lookup(&SIGNATURE), Lookup::One(b"a"));
        map.append("X-Signature", http::HeaderValue::from_static("b"));
        assert_eq!(map.lookup(&SIGNATURE), Lookup::Many);
        // Another header repeated: the signature is still found once, and missing is missing.
        let mut map = http::HeaderMap::new();
        map.append("Accept", http::HeaderValue::from_static("text/plain"));
        map.append("Accept", http::HeaderValue::from_static("application/json"));
        assert_eq!(map.lookup(&SIGNATURE), Lookup::Missing);
        map.append("X-Signature", http::HeaderValue::from_static("a"));
        assert_eq!(map.lookup(&SIGNATURE), Lookup::One(b"a"));
    }

    #[cfg(feature = "http")]
    proptest::proptest! {
        /// One pass or not, small map or large, names asked twice: each answer is `lookup`'s.
        #[test]
        fn header_map_lookup_each_answers_as_lookup_does(
            present in proptest::sample::subsequence((0..40).collect::<Vec<usize>>(), 0..30),
            repeated in proptest::option::of(0..40usize),
            asked in proptest::collection::vec((proptest::bool::ANY, 0..40usize), 0..5),
        ) {
            let name = |i: usize| match i {
                0..4 => ["host", "accept", "content-type", "user-agent"][i].to_owned(),
                _ => format!("x-header-{i}"),
            };
            let mut map = http::HeaderMap::new();
            // Maybe one header twice.
            let repeated = repeated.filter(|_| !present.is_empty()).map(|i| present[i % present.len()]);
            for (value, &i) in present.iter().chain(&repeated).enumerate() {
                let value = u16::try_from(value).unwrap();
                map.append(http::HeaderName::from_bytes(name(i).as_bytes()).unwrap(), http::HeaderValue::from(value));
            }
            // Half the names asked for are in the map.
            let asked = asked.iter().map(|&(hit, i)| if hit && !present.is_empty() { present[i % present.len()] } else { i });
            let names: Vec<HeaderName> = asked.map(|i| HeaderName::new(&name(i)).unwrap()).collect();
            let names: Vec<&HeaderName> = names.iter().collect();
            let mut found = vec![Lookup::Many; names.len()];
            map.lookup_each(&names, &mut found);
            let one_by_one: Vec<Lookup<'_>> = names.iter().map(|name| map.lookup(name)).collect();
            proptest::prop_assert_eq!(found, one_by_one);
        }
    }

    #[test]
    fn header_values_give_every_line_in_order() {
        let name = HeaderName::from_static("x-forwarded-for");
        let pairs =
            [("x-forwarded-for", "198.51.100.1"), ("Accept", "*/*"), ("X-Forwarded-For", "203.0.113.7")];
        let mut seen = Vec::new();
        pairs.for_each_value(&name, &mut |value| seen.push(value));
        assert_eq!(seen, [b"198.51.100.1".as_slice(), b"203.0.113.7"]);
        #[cfg(feature = "http")]
        {
            let mut map = http::HeaderMap::new();
            for (key, value) in pairs {
                map.append(key, http::HeaderValue::from_static(value));
            }
            let mut from_map = Vec::new();
            map.for_each_value(&name, &mut |value| from_map.push(value));
            assert_eq!(from_map, seen);
        }
    }

    #[test]
    fn runtime_names_are_lowercased_and_validated() {
        let name = HeaderName::new("X-My-Signature").unwrap();
        assert_eq!(name.as_str(), "x-my-signature");
        assert!(HeaderName::new("").is_err());
        assert!(HeaderName::new("bad name").is_err());
        assert!(HeaderName::new("bad:name").is_err());
    }
}
