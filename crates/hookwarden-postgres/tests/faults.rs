//! PostgreSQL stopped and started again under a stream of deliveries.
mod common;
