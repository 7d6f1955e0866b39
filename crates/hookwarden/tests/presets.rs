//! The presets whose provider MACs the raw body into one header, tested as rows of one table:
//! each row names the preset's header, prefix and encoding, its body event id, and the vectors
//! it must verify (from the provider's documentation or SDK, or recomputed with Python's
//! `hmac`). Every test runs every row.
//!
//! The rows are the presets that are data (`preset/body_mac.rs`) and the hand-written ones of
//! the same shape (Shopify, PagerDuty, DocuSign), whose own tests keep only what is theirs.

use hookwarden::preset::{
    Adyen, Bitbucket, Coinbase, DocuSign, GitHub, Intercom, LemonSqueezy, PagerDuty, Razorpay, Sentry,
    Shopify, Typeform, Vercel, WooCommerce, Xero,
};
use hookwarden::replay::IdentitySource;
use hookwarden::scheme::Request;
use hookwarden::{ConfigError, Message, Scheme, Verifier};

/// A delivery the preset must accept: `{header}: {signature}` over `body`, keyed with `secret`.
struct Vector {
    secret: &'static str,
    body: &'static [u8],
    signature: &'static str,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Encoding {
    /// Lowercase hex only: every provider SDK here compares hex strings, so uppercase fails
    /// there too (`tests/conformance/vectors/{github,razorpay}.json`).
    Hex,
    /// Standard, padded base64.
    Base64,
}

struct Preset {
    /// `Scheme::name`.
    name: &'static str,
    verifier: fn(&str) -> Result<Verifier, ConfigError>,
    /// The signature header, spelled as the provider sends it.
    header: &'static str,
    /// What comes before the encoded MAC.
    prefix: &'static str,
    encoding: Encoding,
    /// `Scheme::event_id_field`: the replay identity, when the body carries it.
    event_id_field: Option<&'static str>,
    /// The unsigned header signing writes a message's id to.
    delivery_header: Option<&'static str>,
    vectors: &'static [Vector],
}

fn build<S: Scheme + Default>(secret: &str) -> Result<Verifier, ConfigError> {
    Verifier::builder(S::default()).secret(secret).build()
}

const PRESETS: &[Preset] = &[
    Preset {
        name: "github",
        verifier: build::<GitHub>,
        header: "X-Hub-Signature-256",
        prefix: "sha256=",
        encoding: Encoding::Hex,
        event_id_field: None,
        delivery_header: Some("X-GitHub-Delivery"),
        vectors: &[
            // GitHub's "Validating webhook deliveries" page (providers.md §4.2).
            Vector {
                secret: "It's a Secret to Everybody",
                body: b"Hello, World!",
                signature: "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
            },
            // @octokit/webhooks-methods sign() (conformance/vectors/github.json `valid`).
            Vector {
                secret: "fadf2806b6bdfb292da883cbc9ac577e63f014b2",
                body: br#"{"ref":"refs/heads/main","before":"1c59583f13f87e1759f817dc56803a051f2f96ab","after":"481bd229c152653e8db7d12bbe53391ba27d70c9","repository":{"id":123456789,"full_name":"octo-org/hello-world"},"sender":{"login":"octocat"}}"#,
                signature: "sha256=5b2d5ab02bebcca42dc25312d782285ef321b10506f58ee532055f951fc0b46a",
            },
        ],
    },
    Preset {
        name: "shopify",
        verifier: build::<Shopify>,
        header: "X-Shopify-Hmac-Sha256",
        prefix: "",
        encoding: Encoding::Base64,
        event_id_field: None,
        delivery_header: Some("X-Shopify-Webhook-Id"),
        vectors: &[
            // @shopify/shopify-api test helpers (conformance/vectors/shopify.json `valid`).
            Vector {
                secret: "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",
                body: br#"{"id":820982911946154508,"email":"jon@example.com","created_at":"2023-11-14T17:13:20-05:00","total_price":"42.00","currency":"EUR","line_items":[{"title":"Hookwarden mug","quantity":1}]}"#,
                signature: "k7cCdbxCQMqFAdzz2DAPesMY2YkcjVxoSI5NNJTKCqY=",
            },
        ],
    },
    Preset {
        name: "bitbucket",
        verifier: build::<Bitbucket>,
        header: "X-Hub-Signature",
        prefix: "sha256=",
        encoding: Encoding::Hex,
        event_id_field: None,
        delivery_header: None,
        vectors: &[Vector {
            secret: "bitbucket-webhook-secret-01",
            body: br#"{"push":{"changes":[]},"repository":{"full_name":"team/repo"}}"#,
            signature: "sha256=548167119901b634fecdfda94bb38fd6d6e43bdd7c827b5f40834d5385e5f24e",
        }],
    },
    Preset {
        name: "pagerduty",
        verifier: build::<PagerDuty>,
        header: "X-PagerDuty-Signature",
        prefix: "v1=",
        encoding: Encoding::Hex,
        event_id_field: None,
        delivery_header: None,
        vectors: &[Vector {
            secret: "pagerduty-subscription-secret",
            body: br#"{"event":{"id":"01DEN4HPBQAJ8VM5CBOHDXTK6A","event_type":"incident.triggered"}}"#,
            signature: "v1=46d3899bbc9e9190d99631fa3eab64b3a98bc9071242babaaa6d1e28cbc05f7f",
        }],
    },
    Preset {
        name: "sentry",
        verifier: build::<Sentry>,
        header: "Sentry-Hook-Signature",
        prefix: "",
        encoding: Encoding::Hex,
        event_id_field: None,
        delivery_header: None,
        vectors: &[Vector {
            secret: "sentry-client-secret-0123456789abcdef",
            body: br#"{"action":"created","data":{"issue":{"id":"1170820242"}},"installation":{"uuid":"a8e5d37a-696c-4c54-adb5-b3f28d64c7de"}}"#,
            signature: "f1a720f86af1dca568f34581c9cf15f8d9b512588f5ba2c862b8cb444a7e8f08",
        }],
    },
    Preset {
        name: "intercom",
        verifier: build::<Intercom>,
        header: "X-Hub-Signature",
        prefix: "sha1=",
        encoding: Encoding::Hex,
        event_id_field: Some("id"),
        delivery_header: None,
        vectors: &[Vector {
            secret: "intercom-client-secret-0123456789",
            body: br#"{"type":"notification_event","id":"notif_ccd8a4d2-3581-4b4e-8a53-6e0b4e2e4b1c","topic":"conversation.user.created"}"#,
            signature: "sha1=a69db6ae673f0a0619834f19eb3bb9d0b03eb5c0",
        }],
    },
    Preset {
        name: "typeform",
        verifier: build::<Typeform>,
        header: "Typeform-Signature",
        prefix: "sha256=",
        encoding: Encoding::Base64,
        event_id_field: Some("event_id"),
        delivery_header: None,
        vectors: &[Vector {
            secret: "typeform-webhook-secret-01",
            body: br#"{"event_id":"01GT6CVWDTB6BG5N3M8JHNPRH8","event_type":"form_response","form_response":{"form_id":"lT4Z3j"}}"#,
            signature: "sha256=lgHLGB4qALUUQ0YHVb0a0SQlp3p2ouDmOPOqCsm/GRo=",
        }],
    },
    Preset {
        name: "lemon-squeezy",
        verifier: build::<LemonSqueezy>,
        header: "X-Signature",
        prefix: "",
        encoding: Encoding::Hex,
        event_id_field: None,
        delivery_header: None,
        vectors: &[Vector {
            secret: "lemon-squeezy-signing-secret",
            body: br#"{"meta":{"event_name":"order_created","webhook_id":"b4a1a7cc"},"data":{"type":"orders","id":"1"}}"#,
            signature: "a20fb858548516cbbc89b2168a7f674f1339d445d16f6ecf0c191de0a73b92de",
        }],
    },
    Preset {
        name: "vercel",
        verifier: build::<Vercel>,
        header: "x-vercel-signature",
        prefix: "",
        encoding: Encoding::Hex,
        event_id_field: None,
        delivery_header: None,
        vectors: &[Vector {
            secret: "vercel-webhook-secret-0123456789",
            body: br#"{"id":"evt_9kEjmR8mBvv2yq6BMmZGG1","type":"deployment.created","createdAt":1700000000000}"#,
            signature: "b066fa3995dd3bda04948a09227d8a9c89110192",
        }],
    },
    Preset {
        name: "woocommerce",
        verifier: build::<WooCommerce>,
        header: "X-WC-Webhook-Signature",
        prefix: "",
        encoding: Encoding::Base64,
        event_id_field: None,
        delivery_header: None,
        vectors: &[Vector {
            secret: "woocommerce-webhook-secret",
            body: br#"{"id":727,"status":"processing","currency":"EUR","total":"42.00"}"#,
            signature: "MR8rY7rub5/Yuyt8F7n9LRAaefR8YbvfUIpjs1nOVvc=",
        }],
    },
    Preset {
        name: "coinbase",
        verifier: build::<Coinbase>,
        header: "X-CC-Webhook-Signature",
        prefix: "",
        encoding: Encoding::Hex,
        event_id_field: Some("event.id"),
        delivery_header: None,
        vectors: &[
            Vector {
                secret: "coinbase-shared-webhook-secret",
                body: br#"{"id":1,"scheduled_for":"2023-11-14T22:13:20Z","event":{"id":"24934862-d980-46cb-9402-43c81b0cdba6","type":"charge:created"}}"#,
                signature: "17d91e8ff73f4486c92144cee49e6b3819b90a47d303ddd94809aed61c266bb2",
            },
            // coinbase-commerce (Python) WebhookSignature (conformance/vectors/coinbase.json `valid`).
            Vector {
                secret: "0c02403b-f53e-451d-ad3d-da1f9d4c2aa6",
                body: br#"{"id":1,"scheduled_for":"2023-11-14T22:13:20Z","event":{"id":"fddd02ff-1be6-48ce-a6d3-c6d640e5e224","type":"charge:confirmed"}}"#,
                signature: "bbf40fddf3ef008785bb2fe95e0e2f2c4e26a5d48687687ea9b4f2445c572b36",
            },
        ],
    },
    Preset {
        name: "razorpay",
        verifier: build::<Razorpay>,
        header: "X-Razorpay-Signature",
        prefix: "",
        encoding: Encoding::Hex,
        event_id_field: None,
        delivery_header: None,
        vectors: &[
            Vector {
                secret: "razorpay-webhook-secret-01",
                body: br#"{"entity":"event","account_id":"acc_BFQ7uQEaa7j2z7","event":"payment.captured","contains":["payment"],"created_at":1700000000}"#,
                signature: "abc6931951ad17a5d4f3c3e2f91c63d5ee01664608bec3ab3738fb174d97bdff",
            },
            // razorpay (Python and npm) verify_webhook_signature (conformance/vectors/razorpay.json `valid`).
            Vector {
                secret: "EjEjn0pTcKIKFgzp9gNbqfTy",
                body: br#"{"entity":"event","account_id":"acc_jmS8BCCCg0Twz8","event":"payment.captured","contains":["payment"],"created_at":1700000000}"#,
                signature: "d784d546373501f53846620043b33037ea4bd5eb4fd7d728d85d1f44671e509e",
            },
        ],
    },
    Preset {
        name: "xero",
        verifier: build::<Xero>,
        header: "x-xero-signature",
        prefix: "",
        encoding: Encoding::Base64,
        event_id_field: None,
        delivery_header: None,
        vectors: &[Vector {
            secret: "pCV8XYkSAP4i2fA7+e5zjNDdRc8yT6ZfZnPiJ0lG1sPmYpLq3VyKQ==",
            body: br#"{"events":[],"firstEventSequence":0,"lastEventSequence":0,"entropy":"S0m3r4Nd0mt3xt"}"#,
            signature: "ytxIbLGVFqDiunqQN5vEeFyZoGKd9/LXV0AMwvo9nTI=",
        }],
    },
    Preset {
        name: "adyen",
        verifier: build::<Adyen>,
        header: "HmacSignature",
        prefix: "",
        encoding: Encoding::Base64,
        event_id_field: None,
        delivery_header: None,
        vectors: &[
            Vector {
                secret: "44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056",
                body: br#"{"data":{"balancePlatform":"YOUR_BALANCE_PLATFORM","id":"BA32272223222B5CTDNB66W2"},"environment":"test","type":"balancePlatform.balanceAccount.created"}"#,
                signature: "mK6CDbpOry42Bf2Pbi1buBKcCAl88WfckL9XBBMyL84=",
            },
            // adyen-python-api-library test/UtilTest.py (providers.md §4.9): the classic signing
            // string, MACed here as if it were a body, checks the hex-decoded key.
            Vector {
                secret: "44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056",
                body: b"7914073381342284::TestMerchant:TestPayment-1407325143704:1130:EUR:AUTHORISATION:true",
                signature: "coqCmt/IZ4E3CzPvMY8zTjQVL5hYJUiBRg8UU+iCWo0=",
            },
            // Adyen (Python and npm) generate_payload_sig (conformance/vectors/adyen.json `valid`).
            Vector {
                secret: "9AFABFB5026E465F70654078D6EC3A7EC5D3847F9C6226CB0CE9892A58B07962",
                body: br#"{"data":{"balancePlatform":"YOUR_BALANCE_PLATFORM","id":"BAPZ3UA9MI3NVQ94KVECX6YNFF"},"environment":"test","type":"balancePlatform.balanceAccount.created"}"#,
                signature: "2FA0qAn2JhERn5uELu6eRw5lojVAo0ANr23jb50H/2w=",
            },
        ],
    },
    Preset {
        name: "docusign",
        verifier: build::<DocuSign>,
        header: "X-DocuSign-Signature-1",
        prefix: "",
        encoding: Encoding::Base64,
        event_id_field: None,
        delivery_header: None,
        vectors: &[Vector {
            secret: "DocuSignConnectKey0123456789abcdefABCDEF=",
            body: br#"{"event":"envelope-completed","apiVersion":"v2.1","generatedDateTime":"2023-11-14T22:13:20.0000000Z"}"#,
            signature: "oj+MMAD5mpj83gSQaBRANXN0NSBUOrvCoiW9C8vceBg=",
        }],
    },
];

/// Every vector of every preset, with its verifier and a label for assertion messages.
fn cases() -> impl Iterator<Item = (&'static Preset, &'static Vector, Verifier, String)> {
    PRESETS.iter().flat_map(|preset| {
        preset.vectors.iter().enumerate().map(move |(i, vector)| {
            let verifier = (preset.verifier)(vector.secret)
                .unwrap_or_else(|e| panic!("{} vector {i}: secret refused: {e}", preset.name));
            (preset, vector, verifier, format!("{} vector {i}", preset.name))
        })
    })
}

/// The reason `verifier` refuses `body` under `headers`, or `"accept"`.
fn verdict(verifier: &Verifier, headers: &[(&str, &str)], body: &[u8]) -> &'static str {
    verifier.verify(headers, body).map_or_else(|err| err.reason(), |_| "accept")
}

#[test]
fn every_vector_verifies_and_signing_its_body_gives_it_back() {
    for (preset, vector, verifier, case) in cases() {
        assert_eq!(verifier.scheme(), preset.name, "{case}");
        let verified = verifier
            .verify(&[(preset.header, vector.signature)][..], vector.body)
            .unwrap_or_else(|e| panic!("{case}: {e}"));
        assert_eq!(
            (verified.scheme(), verified.id(), verified.timestamp()),
            (preset.name, None, None),
            "{case}"
        );
        assert_eq!(verified.key_id(), "default", "{case}");

        let signed = verifier.sign(&Message::new(vector.body)).unwrap();
        let written: Vec<_> = signed.iter().collect();
        assert_eq!(
            written,
            [(preset.header, vector.signature)],
            "{case}: the header as the provider spells it"
        );
    }
}

#[test]
fn header_names_match_in_any_case() {
    for (preset, vector, verifier, case) in cases() {
        for name in [preset.header.to_lowercase(), preset.header.to_uppercase()] {
            assert_eq!(
                verdict(&verifier, &[(&name, vector.signature)], vector.body),
                "accept",
                "{case}: {name}"
            );
        }
    }
}

#[test]
fn a_changed_body_is_refused() {
    for (preset, vector, verifier, case) in cases() {
        let body = vector.body;
        let mut changed = Vec::new();
        for at in [0, body.len() / 2, body.len() - 1] {
            let mut flipped = body.to_vec();
            flipped[at] ^= 0x01;
            changed.push(flipped);
        }
        changed.push([body, b" "].concat());
        changed.push(body[..body.len() - 1].to_vec());
        changed.push(Vec::new());
        for body in changed {
            let headers = [(preset.header, vector.signature)];
            assert_eq!(verdict(&verifier, &headers, &body), "no_matching_signature", "{case}: {body:?}");
        }
    }
}

#[test]
fn another_secret_is_refused() {
    for (preset, vector, _, case) in cases() {
        // Reversed, a hex key (Adyen) stays hex.
        let other: String = vector.secret.chars().rev().collect();
        let verifier = (preset.verifier)(&other).unwrap();
        let headers = [(preset.header, vector.signature)];
        assert_eq!(verdict(&verifier, &headers, vector.body), "no_matching_signature", "{case}");
    }
}

#[test]
fn a_missing_signature_header_is_missing_header() {
    for (preset, vector, verifier, case) in cases() {
        assert_eq!(verdict(&verifier, &[], vector.body), "missing_header", "{case}");
        // The signature under another name, and the provider's unsigned delivery header.
        let elsewhere = [("X-Signature-Elsewhere", vector.signature), ("X-Delivery", "72d3162e")];
        assert_eq!(verdict(&verifier, &elsewhere, vector.body), "missing_header", "{case}");
        if let Some(delivery) = preset.delivery_header {
            let only_delivery = [(delivery, "72d3162e-cc78-11e3-81ab-4c9367dc0958")];
            assert_eq!(verdict(&verifier, &only_delivery, vector.body), "missing_header", "{case}");
        }
    }
}

#[test]
fn a_repeated_signature_header_is_refused() {
    for (preset, vector, verifier, case) in cases() {
        let twice = [(preset.header, vector.signature), (preset.header, vector.signature)];
        assert_eq!(verdict(&verifier, &twice, vector.body), "duplicate_header", "{case}");
    }
}

#[test]
fn malformed_signatures_are_malformed_header() {
    for (preset, vector, verifier, case) in cases() {
        let prefix = preset.prefix;
        let encoded = vector.signature.strip_prefix(prefix).expect("the vector has the preset's prefix");
        let garbage = if preset.encoding == Encoding::Hex { "g" } else { "!" };
        let mut bad = vec![
            String::new(),
            prefix.to_owned(),
            format!("{prefix}{}", garbage.repeat(encoded.len())),
            format!("{prefix}{}", &encoded[..encoded.len() / 2]),
            format!("{prefix}{encoded}{encoded}"),
        ];
        if !prefix.is_empty() {
            bad.push(encoded.to_owned());
        }
        match preset.encoding {
            Encoding::Hex => {
                let upper = encoded.to_uppercase();
                assert_ne!(upper, encoded, "{case}: the vector has hex letters");
                bad.push(format!("{prefix}{upper}"));
            }
            Encoding::Base64 => bad.push(format!("{prefix}{}", encoded.trim_end_matches('='))),
        }
        for value in &bad {
            let headers = [(preset.header, value.as_str())];
            assert_eq!(verdict(&verifier, &headers, vector.body), "malformed_header", "{case}: {value:?}");
        }
    }
}

#[test]
fn the_replay_identity_is_the_body_event_id_or_else_the_content() {
    for (preset, vector, verifier, case) in cases() {
        let headers = [(preset.header, vector.signature)];
        let request = Request::new(&headers, vector.body);
        let mut verified = verifier.verify_request(&request).unwrap();
        verifier.identify(&request, &mut verified);
        let identity = verified.identity().unwrap();
        let Some(path) = preset.event_id_field else {
            assert_eq!(identity.source(), IdentitySource::Content, "{case}");
            continue;
        };
        assert_eq!(identity.source(), IdentitySource::BodyField(path), "{case}");
        let member = path.rsplit('.').next().unwrap();
        let quoted = format!(r#""{member}":"{identity}""#);
        assert!(vector.body.windows(quoted.len()).any(|w| w == quoted.as_bytes()), "{case}: {quoted}");
    }
}

#[test]
fn a_message_id_goes_to_the_unsigned_delivery_header_and_is_never_trusted() {
    const ID: &str = "72d3162e-cc78-11e3-81ab-4c9367dc0958";
    for (preset, vector, verifier, case) in cases() {
        let signed = verifier.sign(&Message::new(vector.body).id(ID)).unwrap();
        assert_eq!(signed.get(preset.header), Some(vector.signature), "{case}");
        let expected = usize::from(preset.delivery_header.is_some()) + 1;
        assert_eq!(signed.iter().count(), expected, "{case}");
        if let Some(delivery) = preset.delivery_header {
            assert_eq!(signed.get(delivery), Some(ID), "{case}");
        }
        assert_eq!(verifier.verify(&signed, vector.body).unwrap().id(), None, "{case}");
    }
}

#[test]
fn adyen_keys_are_hex() {
    let err = Verifier::builder(Adyen).secret("not hex at all!").build().unwrap_err();
    assert_eq!(err.reason(), "secret_format");
}
