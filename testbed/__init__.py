"""What tests and benchmarks both run against: fixed clocks, loopback servers, replicas.

Real mail servers (aiosmtpd, Dovecot), a real redis-server, uvicorn on loopback and
replica processes. `bench/` and `tests/` both import from here; neither imports the other.
"""
