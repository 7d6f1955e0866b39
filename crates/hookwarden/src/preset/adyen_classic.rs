//! Adyen's classic (standard) notification webhooks, signed field by field inside the body.

use std::borrow::Cow;

use serde::Deserialize;
use serde::de::{Deserializer, IgnoredAny, SeqAccess, Visitor};
use serde_json::value::RawValue;

use super::json_body;
use crate::error::{SignError, VerifyError};
use crate::key::KeyFormat;
use crate::mac::{Algorithm, Tag};
use crate::scheme::{self, Request, Scheme, Signed};
use crate::sign::SignedHeaders;
use crate::tolerance::Tolerance;

/// A notification: either the whole request (`notificationItems`, one item) or one
/// `{"NotificationRequestItem": {...}}` element, as [`AdyenClassic::items`] splits a batch.
#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(rename = "notificationItems", borrow, default)]
    items: Option<Items<'a>>,
    #[serde(rename = "NotificationRequestItem", borrow, default)]
    item: Option<&'a RawValue>,
}

/// The elements of `notificationItems`, counted without collecting them.
struct Items<'a> {
    first: Option<&'a RawValue>,
    count: usize,
}

impl<'de: 'a, 'a> Deserialize<'de> for Items<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Count;
        impl<'de> Visitor<'de> for Count {
            type Value = Items<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an array of notification items")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let first: Option<&'de RawValue> = seq.next_element()?;
                let mut count = usize::from(first.is_some());
                while seq.next_element::<IgnoredAny>()?.is_some() {
                    count += 1;
                }
                Ok(Items { first, count })
            }
        }
        deserializer.deserialize_seq(Count)
    }
}

/// The wrapper around each element of `notificationItems`.
#[derive(Deserialize)]
struct Wrapper<'a> {
    #[serde(rename = "NotificationRequestItem", borrow)]
    item: Option<&'a RawValue>,
}

/// The signed fields of one item, and its signature. Other fields are ignored (and not
/// authenticated); a repeated field is an error.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Item<'a> {
    #[serde(borrow, default)]
    psp_reference: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    original_reference: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    merchant_account_code: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    merchant_reference: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    amount: Option<Amount<'a>>,
    #[serde(borrow, default)]
    event_code: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    success: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    additional_data: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct Amount<'a> {
    #[serde(borrow, default)]
    value: Option<&'a RawValue>,
    #[serde(borrow, default)]
    currency: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct AdditionalData<'a> {
    #[serde(rename = "hmacSignature", borrow, default)]
    hmac_signature: Option<Cow<'a, str>>,
}

const SIGNATURE_FIELD: &str = "NotificationRequestItem.additionalData.hmacSignature";

fn malformed(problem: &'static str) -> VerifyError {
    VerifyError::MalformedBody { problem }
}

/// The one item of `body`, as raw JSON.
fn item(body: &[u8]) -> Result<&RawValue, VerifyError> {
    let envelope: Envelope<'_> = serde_json::from_slice(body).map_err(|_| {
        malformed(
            "not an Adyen notification: a JSON object with `notificationItems` or `NotificationRequestItem`",
        )
    })?;
    let item = match (envelope.items, envelope.item) {
        (Some(items), None) => match items.count {
            0 => return Err(VerifyError::MissingBodyField { field: "notificationItems" }),
            1 => {
                let wrapper: Wrapper<'_> = items.first.map_or(Ok(Wrapper { item: None }), |first| {
                    serde_json::from_str(first.get()).map_err(|_| {
                        malformed("a notification item is not `{\"NotificationRequestItem\":{...}}`")
                    })
                })?;
                wrapper.item
            }
            _ => {
                return Err(malformed(
                    "a batch of several notification items: split it with `AdyenClassic::items` and verify \
                     each item",
                ));
            }
        },
        (None, item) => item,
        (Some(_), Some(_)) => {
            return Err(malformed("both `notificationItems` and `NotificationRequestItem`"));
        }
    };
    item.ok_or(VerifyError::MissingBodyField { field: "NotificationRequestItem" })
}

fn fields(item: &RawValue) -> Result<Item<'_>, VerifyError> {
    let fields: Item<'_> = serde_json::from_str(item.get()).map_err(|_| {
        malformed(
            "a notification item field is repeated or of the wrong type (a string; `amount.value` a number)",
        )
    })?;
    let amount = fields
        .amount
        .as_ref()
        .ok_or(VerifyError::MissingBodyField { field: "NotificationRequestItem.amount" })?;
    if let Some(value) = amount.value {
        let digits = value.get().strip_prefix('-').unwrap_or(value.get());
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(malformed("`amount.value` is not an integer"));
        }
    }
    Ok(fields)
}

/// Feeds the signing string: the eight fields joined with `:`, an absent field as nothing.
fn feed_fields(item: &Item<'_>, feed: &mut dyn FnMut(&[u8])) {
    let amount = item.amount.as_ref();
    let pieces: [&[u8]; 8] = [
        item.psp_reference.as_deref().unwrap_or_default().as_bytes(),
        item.original_reference.as_deref().unwrap_or_default().as_bytes(),
        item.merchant_account_code.as_deref().unwrap_or_default().as_bytes(),
        item.merchant_reference.as_deref().unwrap_or_default().as_bytes(),
        amount.and_then(|a| a.value).map_or(&b""[..], |v| v.get().as_bytes()),
        amount.and_then(|a| a.currency.as_deref()).unwrap_or_default().as_bytes(),
        item.event_code.as_deref().unwrap_or_default().as_bytes(),
        item.success.as_deref().unwrap_or_default().as_bytes(),
    ];
    for (index, piece) in pieces.iter().enumerate() {
        if index > 0 {
            feed(b":");
        }
        feed(piece);
    }
}

/// [Adyen's classic ("standard") notification webhooks](https://docs.adyen.com/development-resources/webhooks/secure-webhooks/verify-hmac-signatures)
/// (payments): HMAC-SHA256 over selected fields of the notification item, with the signature
/// inside the item. Feature `json`. For Balance Platform and Management webhooks, which sign
/// the raw body in an `HmacSignature` header, use [`Adyen`](super::Adyen).
///
/// - No headers. The body is `{"live":..,"notificationItems":[{"NotificationRequestItem":{..}}]}`
///   and the signature is the item's `additionalData.hmacSignature` (base64).
/// - Signed content: the item's `pspReference`, `originalReference`, `merchantAccountCode`,
///   `merchantReference`, `amount.value`, `amount.currency`, `eventCode` and `success`,
///   joined with `:`, an absent field as the empty string (what Adyen's SDKs compute). The
///   strings are signed as decoded from JSON; `amount.value` must be an integer and `amount`
///   must be present. **Nothing else is signed**: `eventDate`, `reason`, `paymentMethod` and
///   the rest of `additionalData` are not authenticated.
/// - Secret: the HMAC key from the Customer Area, **hex**, decoded to bytes.
/// - No timestamp and no id are signed: replay keys derive from the MAC of the signed fields,
///   so Adyen's retries of one notification share a key.
///
/// # Batches
///
/// `notificationItems` is an array, and Adyen may put several items in one request, each
/// with its own signature. One verdict cannot stand for them all: a verifier that accepted
/// the request when *any* item's signature matched would let a forged item ride along with a
/// genuine one. So a body with several items is refused (`malformed_body`);
/// [`AdyenClassic::items`] splits it into its items (byte slices of the body, nothing
/// re-serialised), and each item is verified on its own, with its own replay key. Adyen's
/// Python SDK, by contrast, checks the first item only.
///
/// # Signing
///
/// The signature lives in the body: [`Verifier::sign`](crate::Verifier::sign) answers
/// [`SignError::SignatureInBody`], and [`Verifier::sign_body`](crate::Verifier::sign_body)
/// takes a notification (or one item) without `hmacSignature` and writes it as the first
/// member of the item's `additionalData` (added when absent), keeping every other byte.
///
/// # Example: the vector from Adyen's Python SDK tests
///
/// ```
/// use hookwarden::{Message, Verifier, preset::AdyenClassic};
///
/// let verifier = Verifier::builder(AdyenClassic)
///     .secret("44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056")
///     .build()?;
/// let body = br#"{"live":"false","notificationItems":[{"NotificationRequestItem":{"additionalData":{"hmacSignature":"coqCmt/IZ4E3CzPvMY8zTjQVL5hYJUiBRg8UU+iCWo0="},"amount":{"currency":"EUR","value":1130},"eventCode":"AUTHORISATION","merchantAccountCode":"TestMerchant","merchantReference":"TestPayment-1407325143704","pspReference":"7914073381342284","success":"true"}}]}"#;
/// assert!(verifier.verify(&[] as &[(&str, &str)], body).is_ok());
///
/// // A batch: verify each item.
/// for item in AdyenClassic::items(body)? {
///     verifier.verify(&[] as &[(&str, &str)], item)?;
/// }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct AdyenClassic;

impl AdyenClassic {
    /// The items of a notification, each as the bytes of its `{"NotificationRequestItem":{..}}`
    /// element (slices of `body`), for verifying a batch item by item.
    ///
    /// # Errors
    ///
    /// [`VerifyError::MalformedBody`] when `body` is not a JSON object with a
    /// `notificationItems` array, and [`VerifyError::MissingBodyField`] when it has none.
    pub fn items(body: &[u8]) -> Result<Vec<&[u8]>, VerifyError> {
        #[derive(Deserialize)]
        struct All<'a> {
            #[serde(rename = "notificationItems", borrow)]
            items: Option<Vec<&'a RawValue>>,
        }
        let all: All<'_> = serde_json::from_slice(body)
            .map_err(|_| malformed("not a JSON object with a `notificationItems` array"))?;
        let items = all.items.ok_or(VerifyError::MissingBodyField { field: "notificationItems" })?;
        Ok(items
            .into_iter()
            .map(|item| {
                let start = json_body::offset_in(body, item);
                &body[start..start + item.get().len()]
            })
            .collect())
    }
}

impl Scheme for AdyenClassic {
    fn name(&self) -> &'static str {
        "adyen-classic"
    }

    fn algorithm(&self) -> Algorithm {
        Algorithm::HmacSha256
    }

    fn key_format(&self) -> KeyFormat {
        KeyFormat::Hex
    }

    fn tolerance(&self) -> Option<Tolerance> {
        None
    }

    fn parse<'r>(&self, request: &Request<'r>, signed: &mut Signed<'r>) -> Result<(), VerifyError> {
        let fields = fields(item(request.body)?)?;
        let additional =
            fields.additional_data.ok_or(VerifyError::MissingBodyField { field: SIGNATURE_FIELD })?;
        let additional: AdditionalData<'_> = serde_json::from_str(additional.get())
            .map_err(|_| malformed("`additionalData` is not an object with one string `hmacSignature`"))?;
        let signature =
            additional.hmac_signature.ok_or(VerifyError::MissingBodyField { field: SIGNATURE_FIELD })?;
        let tag = Tag::from_base64(signature.as_bytes(), Algorithm::HmacSha256)
            .map_err(|_| malformed("`additionalData.hmacSignature` is not the base64 of an HMAC-SHA256"))?;
        signed.push_signature(tag).map_err(malformed)
    }

    fn signed_content(&self, _: &Signed<'_>, body: &[u8], feed: &mut dyn FnMut(&[u8])) {
        // `parse` (or `write_body`, when signing) checked the body; the fields are read again
        // here, borrowing from the body, rather than kept.
        if let Ok(fields) = item(body).and_then(fields) {
            feed_fields(&fields, feed);
        }
    }

    fn signs_whole_body(&self) -> bool {
        false
    }

    fn write_headers(&self, _: &Signed<'_>, _: &Tag, _: &mut SignedHeaders) -> Result<(), SignError> {
        Err(SignError::SignatureInBody)
    }

    fn write_body(&self, _: &Signed<'_>, tag: &Tag, body: &[u8]) -> Result<Vec<u8>, SignError> {
        let unsignable = |problem| SignError::UnsignableBody { problem };
        let item = item(body).map_err(|_| {
            unsignable("expected a notification with one item, or one `{\"NotificationRequestItem\":{...}}`")
        })?;
        let fields = fields(item).map_err(|_| unsignable("the item's signed fields are malformed"))?;
        let signature = format!(r#""hmacSignature":"{}""#, scheme::base64(tag));
        match fields.additional_data {
            Some(additional) => {
                let present: AdditionalData<'_> = serde_json::from_str(additional.get())
                    .map_err(|_| unsignable("`additionalData` is not an object"))?;
                if present.hmac_signature.is_some() {
                    return Err(unsignable("the item already has an `hmacSignature`"));
                }
                json_body::insert_first_member(body, json_body::offset_in(body, additional), &signature)
            }
            None => json_body::insert_first_member(
                body,
                json_body::offset_in(body, item),
                &format!(r#""additionalData":{{{signature}}}"#),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Message, Verifier};

    const KEY: &str = "44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056";
    /// adyen-python-api-library test/UtilTest.py (providers.md §4.9).
    const PUBLISHED: &str = "coqCmt/IZ4E3CzPvMY8zTjQVL5hYJUiBRg8UU+iCWo0=";
    const FIELDS: &str = r#""amount":{"currency":"EUR","value":1130},"eventCode":"AUTHORISATION","eventDate":"2019-05-06T17:15:34.121+02:00","merchantAccountCode":"TestMerchant","merchantReference":"TestPayment-1407325143704","operations":["CANCEL","CAPTURE","REFUND"],"paymentMethod":"visa","pspReference":"7914073381342284","success":"true""#;

    fn verifier() -> Verifier {
        Verifier::builder(AdyenClassic).secret(KEY).build().unwrap()
    }

    fn verify(body: &str) -> Result<crate::Verified, VerifyError> {
        verifier().verify(&[] as &[(&str, &str)], body.as_bytes())
    }

    fn notification(items: &[String]) -> String {
        let items: Vec<String> =
            items.iter().map(|i| format!(r#"{{"NotificationRequestItem":{i}}}"#)).collect();
        format!(r#"{{"live":"false","notificationItems":[{}]}}"#, items.join(","))
    }

    fn item(signature: &str, fields: &str) -> String {
        format!(r#"{{"additionalData":{{"hmacSignature":"{signature}"}},{fields}}}"#)
    }

    #[test]
    fn verifies_the_published_vector_and_signs_it_again() {
        let body = notification(&[item(PUBLISHED, FIELDS)]);
        let verified = verify(&body).unwrap();
        assert_eq!((verified.id(), verified.timestamp()), (None, None));
        assert!(verify(&format!(r#"{{"NotificationRequestItem":{}}}"#, item(PUBLISHED, FIELDS))).is_ok());

        let unsigned = notification(&[format!("{{{FIELDS}}}")]);
        let signed = verifier().sign_body(&Message::new(unsigned.as_bytes())).unwrap();
        assert_eq!(String::from_utf8(signed).unwrap(), body);
        let with_data = notification(&[format!(r#"{{"additionalData":{{"authCode":"1234"}},{FIELDS}}}"#)]);
        let signed = verifier().sign_body(&Message::new(with_data.as_bytes())).unwrap();
        let expected = notification(&[format!(
            r#"{{"additionalData":{{"hmacSignature":"{PUBLISHED}","authCode":"1234"}},{FIELDS}}}"#
        )]);
        assert_eq!(String::from_utf8(signed).unwrap(), expected);
        assert_eq!(verifier().sign(&Message::new(b"{}")).unwrap_err(), SignError::SignatureInBody);
        let again = verifier().sign_body(&Message::new(body.as_bytes())).unwrap_err();
        assert_eq!(again.reason(), "unsignable_body");
    }

    #[test]
    fn only_the_signed_fields_are_authenticated() {
        let unsigned_changed = FIELDS.replace("visa", "mc").replace("17:15", "18:15");
        assert!(verify(&notification(&[item(PUBLISHED, &unsigned_changed)])).is_ok());
        for signed_changed in [
            FIELDS.replace("1130", "1131"),
            FIELDS.replace("EUR", "USD"),
            FIELDS.replace(r#""success":"true""#, r#""success":"false""#),
            FIELDS.replace(r#""pspReference":"7914073381342284","#, ""),
            format!(r#"{FIELDS},"originalReference":"""#)
                .replace(r#""originalReference":"""#, r#""originalReference":"x""#),
        ] {
            let err = verify(&notification(&[item(PUBLISHED, &signed_changed)])).unwrap_err();
            assert_eq!(err.reason(), "no_matching_signature", "{signed_changed}");
        }
        // An explicit empty field is the same as an absent one.
        let explicit = format!(r#"{FIELDS},"originalReference":"""#);
        assert!(verify(&notification(&[item(PUBLISHED, &explicit)])).is_ok());
        // Escapes are decoded before signing.
        let escaped = FIELDS.replace("TestMerchant", "Test\\u004derchant");
        assert!(verify(&notification(&[item(PUBLISHED, &escaped)])).is_ok());
    }

    #[test]
    fn batches_are_refused_and_split_into_items() {
        let wrapped = format!(r#"{{"NotificationRequestItem":{{{}}}}}"#, FIELDS.replace("1130", "99"));
        let other =
            String::from_utf8(verifier().sign_body(&Message::new(wrapped.as_bytes())).unwrap()).unwrap();
        let other = other
            .strip_prefix(r#"{"NotificationRequestItem":"#)
            .unwrap()
            .strip_suffix('}')
            .unwrap()
            .to_owned();
        let batch = notification(&[item(PUBLISHED, FIELDS), other]);
        assert_eq!(verify(&batch).unwrap_err().reason(), "malformed_body");
        let items = AdyenClassic::items(batch.as_bytes()).unwrap();
        assert_eq!(items.len(), 2);
        let keys: Vec<_> =
            items.iter().map(|item| verifier().replay_key_of(&[] as &[(&str, &str)], item)).collect();
        assert_ne!(keys[0], keys[1]);
        // A forged item beside a genuine one is caught item by item.
        let forged = notification(&[item(PUBLISHED, FIELDS), item(PUBLISHED, &FIELDS.replace("1130", "1"))]);
        let verdicts: Vec<_> = AdyenClassic::items(forged.as_bytes())
            .unwrap()
            .iter()
            .map(|item| verifier().verify(&[] as &[(&str, &str)], item).map(|_| ()).map_err(|e| e.reason()))
            .collect();
        assert_eq!(verdicts, [Ok(()), Err("no_matching_signature")]);
    }

    #[test]
    fn malformed_notifications_are_refused() {
        let cases = [
            ("not json".to_owned(), "malformed_body"),
            (r#"{"live":"false","notificationItems":[]}"#.to_owned(), "missing_body_field"),
            (r#"{"live":"false"}"#.to_owned(), "missing_body_field"),
            (notification(&[format!("{{{FIELDS}}}")]), "missing_body_field"),
            (notification(&[format!(r#"{{"additionalData":{{}},{FIELDS}}}"#)]), "missing_body_field"),
            (notification(&[item("", FIELDS)]), "malformed_body"),
            (notification(&[item("not base64!", FIELDS)]), "malformed_body"),
            (notification(&[item(PUBLISHED, &FIELDS.replace("1130", "11.30"))]), "malformed_body"),
            (notification(&[item(PUBLISHED, &FIELDS.replace(r#""true""#, "true"))]), "malformed_body"),
            (
                notification(&[item(
                    PUBLISHED,
                    &FIELDS.replace(r#""amount":{"currency":"EUR","value":1130},"#, ""),
                )]),
                "missing_body_field",
            ),
            (notification(&[item(PUBLISHED, &format!(r#"{FIELDS},"success":"true""#))]), "malformed_body"),
        ];
        for (body, reason) in cases {
            assert_eq!(verify(&body).unwrap_err().reason(), reason, "{body}");
        }
    }
}
