"""Personal data at rest: authenticated encryption for values, a keyed hash for exact lookup.

Values are encrypted with AES-256-GCM (a random 96-bit nonce per value) under a key derived by
HKDF-SHA256 from the newest of settings.FIELD_KEYS; a token is "a1." followed by the URL-safe
base64 of nonce + ciphertext + tag. A Fernet token (what earlier versions wrote, always "gAAAA...")
still decrypts, and rotate() rewrites either kind under the newest key. AES-GCM rather than Fernet
because an import encrypts a few hundred thousand values: a Fernet token costs about 11 µs to make
(AES-CBC, an HMAC, base64 of a longer token, Python glue), an AES-GCM one about 2 µs; both are
authenticated, and both refuse a token changed by one bit. Random 96-bit nonces keep the chance of
a repeated nonce negligible up to about 2**32 values under one key (NIST SP 800-38D), thousands of
times more than a county's registry holds; a new key (put first in BANGFU_FIELD_KEYS) starts again.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import re
from functools import cache

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

PREFIX = "a1."
NONCE_BYTES = 12
_HKDF_INFO = b"bangfu field encryption AES-256-GCM v1"


@cache
def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in settings.FIELD_KEYS])


@cache
def _aead_keys() -> tuple[AESGCM, ...]:
    """One AES-256-GCM key per configured field key, newest first."""
    keys = []
    for key in settings.FIELD_KEYS:
        material = base64.urlsafe_b64decode(key.encode())
        derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_HKDF_INFO).derive(material)
        keys.append(AESGCM(derived))
    return tuple(keys)


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
    nonce = os.urandom(NONCE_BYTES)
    sealed = _aead_keys()[0].encrypt(nonce, value.encode(), None)
    return PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode()


def _key_missing() -> ValueError:
    # A value encrypted with a key no longer configured: say so rather than show garbage.
    return ValueError("cannot decrypt a stored value: its key is not among BANGFU_FIELD_KEYS")


def decrypt(token: str) -> str:
    if not token:
        return ""
    if token.startswith(PREFIX):
        try:
            raw = base64.urlsafe_b64decode(token[len(PREFIX):].encode())
        except (binascii.Error, ValueError):
            raise _key_missing() from None
        nonce, sealed = raw[:NONCE_BYTES], raw[NONCE_BYTES:]
        for key in _aead_keys():
            try:
                return key.decrypt(nonce, sealed, None).decode()
            except InvalidTag:
                continue
        raise _key_missing()
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise _key_missing() from None


def rotate(token: str) -> str:
    """Re-encrypt with the newest key, in the current format (for key rotation)."""
    return encrypt(decrypt(token)) if token else ""


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


# --- sealing: the stored columns of an ID number or a phone ------------------------------------

def seal_id_number(full: str, base: str, *, hashed: str = "") -> tuple[str, str, str]:
    """(id_number_encrypted, id_hash, id_tail_reversed) of a checked ID number: the full value
    (a disability certificate's suffix included) encrypted, its 18-character base hashed for exact
    lookup, and the base's last 6 characters reversed, so a tail search is a prefix search.
    `hashed` is keyed_hash(base) when the caller made it already (an import, to find duplicates)."""
    return encrypt(full), hashed or keyed_hash(base), base[-6:][::-1]


def phone_lookup_key(value: str) -> str:
    """The form of a phone hashed for lookup: digits only, so 0532-8888 and 05328888 match."""
    return re.sub(r"[^0-9]", "", value)


def seal_phone(phone: str) -> tuple[str, str, str]:
    """(phone_encrypted, phone_hash, phone_tail) of a normalised phone; empty strings for none."""
    if not phone:
        return "", "", ""
    key = phone_lookup_key(phone)
    return encrypt(phone), keyed_hash(key), key[-4:]

