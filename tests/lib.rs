//! Workspace-level tests live beside this file; see `conformance.rs`.
