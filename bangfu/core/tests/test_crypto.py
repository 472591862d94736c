from cryptography.fernet import Fernet

from bangfu.core import crypto

ID_NUMBER = "37021519900102123X"


def _with_keys(settings, keys):
    settings.FIELD_KEYS = keys
    crypto._fernet.cache_clear()
    crypto._aead_keys.cache_clear()


def test_a_value_round_trips_and_each_token_is_new(settings):
    token = crypto.encrypt(ID_NUMBER)
    assert token.startswith(crypto.PREFIX) and ID_NUMBER not in token
    assert crypto.decrypt(token) == ID_NUMBER
    assert crypto.encrypt(ID_NUMBER) != token  # a fresh nonce each time
    assert crypto.encrypt("") == "" and crypto.decrypt("") == ""


def test_a_fernet_token_written_earlier_still_decrypts(settings):
    key = settings.FIELD_KEYS[0]
    old = Fernet(key.encode()).encrypt(ID_NUMBER.encode()).decode()
    assert crypto.decrypt(old) == ID_NUMBER
    rotated = crypto.rotate(old)
    assert rotated.startswith(crypto.PREFIX) and crypto.decrypt(rotated) == ID_NUMBER


def test_keys_rotate_and_a_missing_key_is_said(settings):
    old_key, new_key = settings.FIELD_KEYS[0], Fernet.generate_key().decode()
    try:
        token = crypto.encrypt(ID_NUMBER)
        _with_keys(settings, [new_key, old_key])
        assert crypto.decrypt(token) == ID_NUMBER  # an older key still decrypts
        rotated = crypto.rotate(token)
        _with_keys(settings, [new_key])
        assert crypto.decrypt(rotated) == ID_NUMBER
        try:
            crypto.decrypt(token)
        except ValueError as error:
            assert "BANGFU_FIELD_KEYS" in str(error)
        else:
            raise AssertionError("a token of a removed key decrypted")
    finally:
        _with_keys(settings, [old_key])


def test_a_changed_token_is_refused(settings):
    token = crypto.encrypt(ID_NUMBER)
    body = token[len(crypto.PREFIX):]
    changed = crypto.PREFIX + body[:20] + ("A" if body[20] != "A" else "B") + body[21:]
    for bad in (changed, crypto.PREFIX + "!!!", token[:-4]):
        try:
            crypto.decrypt(bad)
        except ValueError:
            pass
        else:
            raise AssertionError(f"{bad} decrypted")


def test_sealing_gives_the_stored_columns_of_an_id_number_and_a_phone():
    token, hashed, tail = crypto.seal_id_number(ID_NUMBER + "52", ID_NUMBER)
    assert crypto.decrypt(token) == ID_NUMBER + "52"
    assert hashed == crypto.keyed_hash(ID_NUMBER) and tail == "X32120"
    token, hashed, tail = crypto.seal_phone("0532-88881234")
    assert crypto.decrypt(token) == "0532-88881234"
    assert hashed == crypto.keyed_hash("053288881234") and tail == "1234"
    assert crypto.seal_phone("") == ("", "", "")
