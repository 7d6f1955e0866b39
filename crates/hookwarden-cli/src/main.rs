//! `hookwarden`: sign test webhook deliveries, explain failed verifications, and run a local
//! receiver that verifies every delivery.
//!
//! Run `hookwarden --help` for the commands, and `hookwarden <command> --help` for examples.
//! Secrets are never printed, nor any expected signature.

#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

mod cli;
mod client;
mod diagnose;
mod exit;
mod input;
mod inspector;
mod json;
mod out;
mod presets;
mod private_key;
mod serve;
mod sign;
mod verify;

use std::process::ExitCode;

use clap::{CommandFactory, Parser};

use crate::cli::{Cli, ColorWhen, Command};
use crate::exit::{Code, Failure};
use crate::out::{BAD, LABEL, paint};
use crate::presets::Signing;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.color {
        ColorWhen::Auto => {}
        ColorWhen::Always => anstream::ColorChoice::Always.write_global(),
        ColorWhen::Never => anstream::ColorChoice::Never.write_global(),
    }
    match run(cli.command) {
        Ok(code) => code.into(),
        Err(failure) => {
            anstream::eprintln!("{} {failure}", paint(BAD, "error:"));
            failure.code.into()
        }
    }
}

fn run(command: Command) -> Result<Code, Failure> {
    match command {
        Command::Sign(args) => sign::run(&args),
        Command::Verify(args) => verify::run(&args),
        Command::Serve(args) => serve::run(&args),
        Command::Presets => {
            list_presets();
            Ok(Code::Ok)
        }
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "hookwarden", &mut std::io::stdout());
            Ok(Code::Ok)
        }
    }
}

fn list_presets() {
    for scheme in presets::all() {
        let tolerance = scheme.tolerance().map_or_else(
            || "no signed timestamp".to_owned(),
            |t| format!("timestamp window {}s back, {}s ahead", t.past().as_secs(), t.future().as_secs()),
        );
        anstream::println!("{}", paint(LABEL, scheme.name()));
        let signing = scheme.signing();
        if signing == Signing::Body {
            anstream::println!("    headers  none: the signature is inside the body");
        } else {
            anstream::println!("    headers  {}", scheme.header_names().join(", "));
        }
        if scheme.is_token() {
            anstream::println!(
                "    auth     the secret itself, sent as a token: nothing is signed, the body is not protected"
            );
        } else {
            let url = if scheme.signs_url() { "; signs the URL it calls" } else { "" };
            let key = match signing {
                Signing::PublicKey => format!(
                    "the provider's public key ({})",
                    presets::describe_key_format(scheme.key_format())
                ),
                _ => presets::describe_key_format(scheme.key_format()).to_owned(),
            };
            anstream::println!(
                "    signing  {}, key = {key}; {tolerance}{url}",
                presets::describe_algorithm(scheme.algorithm()),
            );
        }
        if signing == Signing::PublicKey {
            anstream::println!(
                "    sign     with --private-key (a test key: only the provider holds its own)"
            );
        }
        if let Some(handshake) = scheme.handshake() {
            anstream::println!("    check    {handshake}");
        }
        anstream::println!("    replay   {}", scheme.replay_identity());
        if let Some(event) = presets::event_header(scheme.name()) {
            let default = event.default.map(|value| format!(", default `{value}`")).unwrap_or_default();
            anstream::println!("    event    {} (sign --event{default})", event.name);
        }
    }
    anstream::println!("{}", paint(LABEL, presets::CUSTOM));
    anstream::println!(
        "    any HMAC scheme described with --signature-header, --content, ... (see `verify --help`)"
    );
}
