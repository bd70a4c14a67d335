"""Keyed state of stateful queries: the store interface (base), its changelog encoding (codec), the
changelog-backed store (changelog) and the per-query durability on Kafka (durable)."""
