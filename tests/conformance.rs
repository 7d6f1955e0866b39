//! Runs the vectors produced by the providers' own SDKs through the presets.
