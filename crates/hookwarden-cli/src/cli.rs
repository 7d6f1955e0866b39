//! The command line: every command, flag and help text.

use std::path::PathBuf;

use clap::builder::PossibleValuesParser;
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::presets;

/// Exit codes, listed in `--help` so scripts and CI can branch on them.
pub(crate) const EXIT_CODES: &str = "\
Exit codes:
  0  verified (verify), delivered with a 2xx answer (sign --send), or success
  1  an I/O or network error (a file could not be read, a server could not be reached)
  2  usage error (a flag is missing, unknown or conflicting; a preset that signs the URL
     needs --url)
  3  bad secret or configuration (a Stripe API key instead of the webhook secret, a
     secret that does not decode, an invalid custom scheme)
  4  malformed request (the capture cannot be parsed, a header is missing, repeated or
     malformed)
  5  stale timestamp (signed too long ago, or too far in the future)
  6  signature mismatch (no signature matches any secret)
  7  the receiver answered `sign --send` with a non-2xx status";

const MAIN_HELP: &str = "\
Examples:
  # The headers Stripe would send for this body, signed now:
  hookwarden sign --preset stripe --secret whsec_... --body @event.json

  # Why does this captured delivery not verify?
  hookwarden verify --preset github --secret \"$GITHUB_WEBHOOK_SECRET\" --request delivery.http

  # A local receiver that verifies every delivery and forwards the good ones to your app:
  hookwarden serve --preset svix --secret whsec_... --port 9000 --forward http://localhost:3000

Secrets can also come from the HOOKWARDEN_SECRET environment variable or --secret-file,
which keeps them out of your shell history. hookwarden never prints a secret or an
expected signature.";

/// Sign test deliveries, explain failed webhook verifications, run a local verifying receiver.
#[derive(Debug, Parser)]
#[command(name = "hookwarden", version, about, after_help = MAIN_HELP, after_long_help = format!("{MAIN_HELP}\n\n{EXIT_CODES}"))]
pub(crate) struct Cli {
    /// When to colour the output.
    #[arg(long, value_enum, global = true, default_value_t = ColorWhen::Auto)]
    pub(crate) color: ColorWhen,

    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ColorWhen {
    /// Colour when writing to a terminal (and NO_COLOR is not set).
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Print the headers a provider would send with a body (or send it).
    #[command(after_help = SIGN_HELP)]
    Sign(SignArgs),
    /// Verify a captured delivery and explain every step and, on failure, the likely cause.
    #[command(after_help = format!("{VERIFY_HELP}\n\n{EXIT_CODES}"))]
    Verify(VerifyArgs),
    /// Run a local receiver that verifies every delivery, logs it and forwards it to your app.
    #[command(after_help = SERVE_HELP)]
    Serve(ServeArgs),
    /// List the presets: the headers each provider sends, its secret format and tolerance.
    Presets,
    /// Print a shell completion script.
    #[command(after_help = COMPLETIONS_HELP)]
    Completions {
        /// The shell to complete for.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

const SIGN_HELP: &str = "\
Examples:
  # Print the headers:
  hookwarden sign --preset standard-webhooks --secret whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw \\
      --body @event.json --id msg_123 --timestamp 1700000000

  # A ready-to-run curl command:
  hookwarden sign --preset github --secret \"$SECRET\" --body @push.json --curl http://localhost:3000/webhooks

  # Send it and show the answer:
  hookwarden sign --preset stripe --secret whsec_... --body '{\"id\":\"evt_1\"}' --send http://localhost:3000/stripe

  # A GitHub push, with an unsigned header of your own:
  hookwarden sign --preset github --secret \"$SECRET\" --body @push.json --event push \\
      --header 'X-GitHub-Hook-ID: 123' --curl http://localhost:3000/webhooks

--body takes @FILE, @- for standard input, or the body itself. Without --id a random id is
used; without --timestamp, now. --send speaks plain HTTP (for https use --curl).

--event writes the header in which the provider names the event: X-GitHub-Event (github,
`ping` unless given), Twitch-Eventsub-Message-Type (twitch, `notification` unless given),
X-Gitlab-Event (gitlab, gitlab-signing), X-Event-Key (bitbucket), X-Shopify-Topic (shopify), Linear-Event
(linear), X-Event-Name (lemon-squeezy), X-WC-Webhook-Topic (woocommerce),
Sentry-Hook-Resource (sentry). Neither it nor a --header is signed.

Mailgun and Adyen's classic notifications carry their signature inside the body: for them
sign prints the body to send. Discord, SendGrid and standard-webhooks-ed25519 sign with the
provider's private key: hookwarden verifies their deliveries (verify, serve) but cannot sign.";

const VERIFY_HELP: &str = "\
Examples:
  # A raw HTTP capture: request line, headers, blank line, body (CRLF or LF):
  hookwarden verify --preset stripe --secret whsec_... --request delivery.http

  # Headers and body given separately, verified as of the time it was received:
  hookwarden verify --preset standard-webhooks --secret whsec_... \\
      --header 'webhook-id: msg_p5jXN8AQM9LWM0D4loKWxJek' \\
      --header 'webhook-timestamp: 1614265330' \\
      --header 'webhook-signature: v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=' \\
      --body '{\"test\": 2432232314}' --now 1614265330

  # A preset that signs the URL (Twilio, Square, HubSpot): the URL the provider called.
  hookwarden verify --preset twilio --secret \"$TWILIO_AUTH_TOKEN\" --request sms.http \\
      --url https://hooks.example.com/twilio/sms

On failure it looks for the usual causes: a body that was re-serialised or whose whitespace
or trailing newline changed (it tries those variants and says which one verifies), a secret
in the wrong format for the preset, a timestamp outside the window, a delivery that
belongs to another preset, and (for presets that sign the URL) the URL a proxy changed.";

const SERVE_HELP: &str = "\
Examples:
  # Verify GitHub deliveries on port 9000 and forward the good ones to your app:
  hookwarden serve --preset github --secret \"$SECRET\" --port 9000 --forward http://localhost:3000

  # Keep a JSON-lines record of verified deliveries (metadata only: never the body or a secret):
  hookwarden serve --preset stripe --secret whsec_... --log deliveries.jsonl

Every request on any path is a delivery. It prints one line per delivery (time, outcome,
reason, id). With --forward, verified deliveries are sent on with their headers and body
unchanged, and the app's answer goes back to the sender; a forward URL without a path
keeps the delivery's path. Repeated deliveries are answered 200 without being forwarded
(in-memory replay store). --port 0 picks a free port; the address is printed first.

GET /metrics answers the metrics in Prometheus' text format, and /_hookwarden/ is an
inspector page: the last 200 deliveries with their outcome, reason, timings, delivery id
and replay identity, their headers (signatures and secrets redacted), the body on request,
the explanation `verify` gives for a refused one, a button that resends one to --forward,
and a chart of deliveries per minute. serve listens on 127.0.0.1: to listen elsewhere
(--host 0.0.0.0), say why with --allow-remote.";

const COMPLETIONS_HELP: &str = "\
Examples:
  hookwarden completions bash > ~/.local/share/bash-completion/completions/hookwarden
  hookwarden completions zsh > ~/.zfunc/_hookwarden
  hookwarden completions fish > ~/.config/fish/completions/hookwarden.fish";

/// Which scheme, and the custom scheme's settings.
#[derive(Debug, Clone, Args)]
pub(crate) struct SchemeArgs {
    /// The provider's scheme (`hookwarden presets` lists them), or `custom`.
    #[arg(long, short = 'p', value_parser = PossibleValuesParser::new(presets::names_and_custom()))]
    pub(crate) preset: String,

    /// Custom scheme: the header holding the signature.
    #[arg(long, value_name = "NAME", help_heading = "Custom scheme (--preset custom)")]
    pub(crate) signature_header: Option<String>,
    /// Custom scheme: text before each signature, such as `sha256=`.
    #[arg(long, value_name = "TEXT", help_heading = "Custom scheme (--preset custom)")]
    pub(crate) signature_prefix: Option<String>,
    /// Custom scheme: the character between several signatures in one header.
    #[arg(long, value_name = "CHAR", help_heading = "Custom scheme (--preset custom)")]
    pub(crate) signature_separator: Option<char>,
    /// Custom scheme: how signatures are written.
    #[arg(long, value_enum, default_value_t = EncodingArg::Hex, help_heading = "Custom scheme (--preset custom)")]
    pub(crate) encoding: EncodingArg,
    /// Custom scheme: the HMAC.
    #[arg(long, value_enum, default_value_t = AlgorithmArg::Sha256, help_heading = "Custom scheme (--preset custom)")]
    pub(crate) algorithm: AlgorithmArg,
    /// Custom scheme: the header holding the signed Unix timestamp.
    #[arg(long, value_name = "NAME", help_heading = "Custom scheme (--preset custom)")]
    pub(crate) timestamp_header: Option<String>,
    /// Custom scheme: the header holding the signed delivery id.
    #[arg(long, value_name = "NAME", help_heading = "Custom scheme (--preset custom)")]
    pub(crate) id_header: Option<String>,
    /// Custom scheme: the signed content, such as `{timestamp}.{body}` or `{id}.{timestamp}.{body}`.
    #[arg(
        long,
        value_name = "TEMPLATE",
        default_value = "{body}",
        help_heading = "Custom scheme (--preset custom)"
    )]
    pub(crate) content: String,
    /// Custom scheme: how the secret becomes the HMAC key.
    #[arg(long, value_enum, default_value_t = KeyFormatArg::Raw, help_heading = "Custom scheme (--preset custom)")]
    pub(crate) key_format: KeyFormatArg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum EncodingArg {
    /// Lowercase hex.
    Hex,
    /// Standard padded base64.
    Base64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum AlgorithmArg {
    /// HMAC-SHA1 (legacy providers only).
    Sha1,
    /// HMAC-SHA256.
    Sha256,
    /// HMAC-SHA512.
    Sha512,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum KeyFormatArg {
    /// The secret's bytes, as they are.
    Raw,
    /// `whsec_` followed by base64 (Standard Webhooks).
    Whsec,
    /// Hex.
    Hex,
    /// Standard base64.
    Base64,
}

/// Where the secrets come from.
#[derive(Debug, Clone, Args)]
pub(crate) struct SecretArgs {
    /// The webhook signing secret, as the provider shows it. Repeat it to try several (rotation).
    ///
    /// A secret on the command line shows in the process list and the shell history: prefer
    /// HOOKWARDEN_SECRET or --secret-file on shared machines.
    #[arg(long, short = 's', env = "HOOKWARDEN_SECRET", hide_env_values = true, value_name = "SECRET")]
    pub(crate) secret: Vec<String>,
    /// Read the secret from a file (one trailing newline is ignored).
    #[arg(long, value_name = "PATH")]
    pub(crate) secret_file: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct SignArgs {
    #[command(flatten)]
    pub(crate) scheme: SchemeArgs,
    #[command(flatten)]
    pub(crate) secrets: SecretArgs,
    /// The body: @FILE, @- for standard input, or the body itself.
    #[arg(long, short = 'b', value_name = "BODY")]
    pub(crate) body: String,
    /// The delivery id (default: a random `msg_...`).
    #[arg(long)]
    pub(crate) id: Option<String>,
    /// The signed timestamp, in Unix seconds (default: now).
    #[arg(long, value_name = "UNIX", allow_negative_numbers = true)]
    pub(crate) timestamp: Option<i64>,
    /// The URL the provider calls, for presets that sign it (default: the --send or --curl URL).
    #[arg(long, value_name = "URL")]
    pub(crate) url: Option<String>,
    /// The Content-Type for --curl and --send (default: application/json for a JSON body).
    #[arg(long, value_name = "TYPE")]
    pub(crate) content_type: Option<String>,
    /// The event type, in the provider's event header (X-GitHub-Event for github: default
    /// `ping`). Not signed.
    #[arg(long, value_name = "TYPE")]
    pub(crate) event: Option<String>,
    /// An unsigned header to send too, `Name: value`. Repeat for each header.
    #[arg(long, short = 'H', value_name = "NAME: VALUE")]
    pub(crate) header: Vec<String>,
    /// Print a curl command that sends the delivery to URL.
    #[arg(long, value_name = "URL", conflicts_with = "send")]
    pub(crate) curl: Option<String>,
    /// Send the delivery to URL (plain HTTP) and show the answer.
    #[arg(long, value_name = "URL")]
    pub(crate) send: Option<String>,
    /// Print the headers as a JSON object.
    #[arg(long, conflicts_with_all = ["curl", "send"])]
    pub(crate) json: bool,
    /// The private key, for presets whose provider signs with one (discord,
    /// standard-webhooks-ed25519, sendgrid): an Ed25519 seed in hex or `whsk_` + base64, or a
    /// PEM. The public key to verify with is printed on standard error.
    #[arg(
        long,
        env = "HOOKWARDEN_PRIVATE_KEY",
        hide_env_values = true,
        value_name = "KEY",
        conflicts_with = "private_key_file",
        allow_hyphen_values = true
    )]
    pub(crate) private_key: Option<String>,
    /// Read the private key from a file (a PEM, say).
    #[arg(long, value_name = "PATH")]
    pub(crate) private_key_file: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct VerifyArgs {
    #[command(flatten)]
    pub(crate) scheme: SchemeArgs,
    #[command(flatten)]
    pub(crate) secrets: SecretArgs,
    /// A raw HTTP capture (request line, headers, blank line, body), or - for standard input.
    #[arg(long, short = 'r', value_name = "FILE", conflicts_with_all = ["header", "body"])]
    pub(crate) request: Option<PathBuf>,
    /// A request header, `Name: value`. Repeat for each header.
    #[arg(long, short = 'H', value_name = "NAME: VALUE")]
    pub(crate) header: Vec<String>,
    /// The body: @FILE, @- for standard input, or the body itself (default: empty).
    #[arg(long, short = 'b', value_name = "BODY")]
    pub(crate) body: Option<String>,
    /// The URL the provider called, for presets that sign it (default: from the capture's Host
    /// header and request line, as https).
    #[arg(long, value_name = "URL")]
    pub(crate) url: Option<String>,
    /// Verify as of this Unix time instead of now (for captured deliveries).
    #[arg(long, value_name = "UNIX", allow_negative_numbers = true)]
    pub(crate) now: Option<i64>,
    /// Accept timestamps this many seconds either side of now (default: the provider's).
    #[arg(long, value_name = "SECONDS")]
    pub(crate) tolerance: Option<u64>,
    /// Print only the verdict line.
    #[arg(long, short = 'q')]
    pub(crate) quiet: bool,
}

#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    #[command(flatten)]
    pub(crate) scheme: SchemeArgs,
    #[command(flatten)]
    pub(crate) secrets: SecretArgs,
    /// The address to listen on: loopback unless --allow-remote says why.
    #[arg(long, default_value = "127.0.0.1")]
    pub(crate) host: String,
    /// Listen on a --host other machines can reach, for the reason given (the inspector shows
    /// every delivery's headers and body to whoever reaches it).
    #[arg(long, value_name = "WHY")]
    pub(crate) allow_remote: Option<String>,
    /// The port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 9000)]
    pub(crate) port: u16,
    /// Forward verified deliveries to this URL (plain HTTP).
    #[arg(long, value_name = "URL")]
    pub(crate) forward: Option<String>,
    /// The origin the provider calls, such as https://abc.ngrok.app, for presets that sign the
    /// URL (default: this server's own http:// address).
    #[arg(long, value_name = "ORIGIN")]
    pub(crate) public_origin: Option<String>,
    /// Append the metadata of verified deliveries to this JSON-lines file.
    #[arg(long, value_name = "FILE")]
    pub(crate) log: Option<PathBuf>,
    /// The largest body accepted, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = hookwarden::DEFAULT_BODY_LIMIT)]
    pub(crate) body_limit: u64,
    /// How long a body may take to arrive, in seconds; slower ones get 408 body_timeout.
    #[arg(
        long,
        value_name = "SECONDS",
        default_value_t = hookwarden::DEFAULT_BODY_TIMEOUT.as_secs(),
        value_parser = clap::value_parser!(u64).range(1..)
    )]
    pub(crate) body_timeout: u64,
    /// Accept timestamps this many seconds either side of now (default: the provider's).
    #[arg(long, value_name = "SECONDS")]
    pub(crate) tolerance: Option<u64>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn sign_help_names_every_event_header() {
        for scheme in presets::all() {
            if let Some(event) = presets::event_header(scheme.name()) {
                let entry = SIGN_HELP.split(event.name).nth(1).unwrap_or_default();
                let names = entry.split(')').next().unwrap_or_default();
                assert!(names.contains(scheme.name()), "{} is not listed with {}", scheme.name(), event.name);
            }
        }
    }
}
