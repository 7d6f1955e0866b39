//! Header lookup in actix-web's own `HeaderMap` (actix-web 4 uses `http` 0.2, not 1.x).

use actix_web::http::header::HeaderMap;
use hookwarden::headers::{HeaderName, HeaderValues, Headers, Lookup};

/// actix-web's headers, as the core reads them.
///
/// actix keeps header names lowercase, so names compare byte for byte. The distinct names are
/// walked and the values of the one that matches fetched with it: indexing by a run-time `&str`
/// would parse (and, for custom names, allocate) an `http` 0.2 name on every lookup.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ActixHeaders<'a>(pub(crate) &'a HeaderMap);

impl Headers for ActixHeaders<'_> {
    fn lookup(&self, name: &HeaderName) -> Lookup<'_> {
        let wanted = name.as_str();
        let Some(key) = self.0.keys().find(|key| key.as_str() == wanted) else {
            return Lookup::Missing;
        };
        let mut values = self.0.get_all(key);
        match (values.next(), values.next()) {
            (None, _) => Lookup::Missing,
            (Some(value), None) => Lookup::One(value.as_bytes()),
            (Some(_), Some(_)) => Lookup::Many,
        }
    }
}

/// Every line of a forwarding header, for the access controls.
impl HeaderValues for ActixHeaders<'_> {
    fn for_each_value<'a>(&'a self, name: &HeaderName, each: &mut dyn FnMut(&'a [u8])) {
        let wanted = name.as_str();
        if let Some(key) = self.0.keys().find(|key| key.as_str() == wanted) {
            self.0.get_all(key).for_each(|value| each(value.as_bytes()));
        }
    }
}

#[cfg(test)]
mod tests {
    use actix_web::http::header::{HeaderName as ActixName, HeaderValue};

    use super::*;

    const SIGNATURE: HeaderName = HeaderName::from_static("webhook-signature");

    #[test]
    fn finds_one_reports_many_and_missing() {
        let mut map = HeaderMap::new();
        assert_eq!(ActixHeaders(&map).lookup(&SIGNATURE), Lookup::Missing);
        map.append(ActixName::from_static("webhook-signature"), HeaderValue::from_static("v1,a"));
        assert_eq!(ActixHeaders(&map).lookup(&SIGNATURE), Lookup::One(b"v1,a"));
        map.append(ActixName::from_static("webhook-signature"), HeaderValue::from_static("v1,b"));
        assert_eq!(ActixHeaders(&map).lookup(&SIGNATURE), Lookup::Many);
    }

    #[test]
    fn gives_every_value_in_order() {
        let mut map = HeaderMap::new();
        map.append(ActixName::from_static("webhook-signature"), HeaderValue::from_static("v1,a"));
        map.append(ActixName::from_static("webhook-signature"), HeaderValue::from_static("v1,b"));
        let mut seen = Vec::new();
        ActixHeaders(&map).for_each_value(&SIGNATURE, &mut |value| seen.push(value.to_vec()));
        assert_eq!(seen, [b"v1,a".to_vec(), b"v1,b".to_vec()]);
    }
}
