"""Personal data at rest: authenticated encryption for values, a keyed hash for exact lookup."""

from __future__ import annotations

import hashlib
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


@cache
def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in settings.FIELD_KEYS])


@cache
def _hash_key() -> bytes:
    return settings.HASH_KEY.encode()


@cache
def _hmac_pads() -> tuple:
    """SHA-256 states with the HMAC key's inner and outer pads already absorbed: copying them is
    what hmac.new does for each value, without building an HMAC object and deriving the pads
    again (an import hashes a few hundred thousand values)."""
    key = _hash_key()
    if len(key) > 64:
        key = hashlib.sha256(key).digest()
    key = key.ljust(64, b"\0")
    return (hashlib.sha256(bytes(b ^ 0x36 for b in key)), hashlib.sha256(bytes(b ^ 0x5C for b in key)))


def encrypt(value: str) -> str:
    if not value:
        return ""
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        # A value encrypted with a key no longer configured: say so rather than show garbage.
        raise ValueError("cannot decrypt a stored value: its key is not among BANGFU_FIELD_KEYS") from None


def rotate(token: str) -> str:
    """Re-encrypt with the newest key (for key rotation)."""
    return _fernet().rotate(token.encode()).decode() if token else ""


def keyed_hash(value: str) -> str:
    """HMAC-SHA256 of an already normalised value, hex; empty for an empty value."""
    if not value:
        return ""
    inner, outer = _hmac_pads()
    inner = inner.copy()
    inner.update(value.encode())
    outer = outer.copy()
    outer.update(inner.digest())
    return outer.hexdigest()
