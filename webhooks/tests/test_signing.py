import time

import pytest

from webhooks.signing import InvalidSignature, signature, signed_headers, verify

SECRET = "whsec_" + "ab" * 32
BODY = b'{"data":{"registration_id":12},"id":"e1","type":"registration.created"}'


def test_a_receiver_accepts_what_we_signed():
    headers = signed_headers(SECRET, "e1", BODY)
    assert headers["Webhook-Signature"].startswith("v1=")
    assert verify(SECRET, headers, BODY) == "e1"


def test_the_signature_is_hex_hmac_sha256_over_id_timestamp_and_body():
    import hashlib
    import hmac

    expected = hmac.new(SECRET.encode(), b"e1.1700000000." + BODY, hashlib.sha256).hexdigest()
    assert signature(SECRET, "e1", "1700000000", BODY) == "v1=" + expected


@pytest.mark.parametrize(
    "change",
    [
        lambda h, b: (h, b.replace(b"12", b"13")),  # body altered on the way
        lambda h, b: ({**h, "Webhook-Id": "e2"}, b),  # another id, same signature
        lambda h, b: ({**h, "Webhook-Timestamp": str(int(h["Webhook-Timestamp"]) + 1)}, b),
        lambda h, b: ({**h, "Webhook-Signature": "v1=" + "0" * 64}, b),
        lambda h, b: ({k: v for k, v in h.items() if k != "Webhook-Signature"}, b),
    ],
)
def test_a_receiver_refuses_a_tampered_webhook(change):
    headers, body = change(signed_headers(SECRET, "e1", BODY), BODY)
    with pytest.raises(InvalidSignature):
        verify(SECRET, headers, body)


def test_a_receiver_refuses_another_secret_and_an_old_timestamp():
    with pytest.raises(InvalidSignature):
        verify("whsec_other", signed_headers(SECRET, "e1", BODY), BODY)
    old = signed_headers(SECRET, "e1", BODY, timestamp=int(time.time()) - 3600)
    with pytest.raises(InvalidSignature):
        verify(SECRET, old, BODY)
