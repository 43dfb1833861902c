"""The SMS adapter against a provider on loopback: the key in the Authorization header, the number and
the short Persian text as JSON; a provider that refuses is an error the delivery records."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from revive.notices import sms


class Provider(BaseHTTPRequestHandler):
    received: list = []
    answer = 200

    def do_POST(self):  # noqa: N802 - http.server's name
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        Provider.received.append((self.path, self.headers["Authorization"], body))
        self.send_response(Provider.answer)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def provider():
    server = HTTPServer(("127.0.0.1", 0), Provider)
    Provider.received, Provider.answer = [], 200
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://SECRET-KEY@127.0.0.1:{server.server_port}/send"
    server.shutdown()


def test_the_provider_gets_the_number_and_text_with_the_key(provider):
    sms.send("09121234567", "مهلت مصوبه گذشته است", url=provider)
    assert Provider.received == [
        ("/send", "Bearer SECRET-KEY", {"to": "09121234567", "text": "مهلت مصوبه گذشته است"})
    ]


def test_a_refusal_is_an_error(provider):
    Provider.answer = 500
    with pytest.raises(sms.SmsError):
        sms.send("09121234567", "x", url=provider)


def test_an_unknown_backend_is_an_error():
    with pytest.raises(sms.SmsError):
        sms.send("09121234567", "x", url="ftp://example.ir")
