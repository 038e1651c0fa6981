"""SDK retries of a call that landed (driver/local/emulator/replay.py)."""


def test_a_retried_call_gets_the_answer_of_the_attempt_that_landed():
    """An SDK retries when an answer is lost; acting twice would create twice."""
    from driver.local.emulator.replay import replaying as _replaying

    calls = []

    def app(environ, start_response):
        calls.append(environ["PATH_INFO"])
        status = "500 Internal Server Error" if environ["PATH_INFO"] == "/fail" else "200 OK"
        start_response(status, [("Content-Type", "text/plain")])
        return [f"answer {len(calls)}".encode()]

    def call(invocation, attempt, path="/"):
        said = {}
        environ = {
            "PATH_INFO": path,
            "HTTP_AMZ_SDK_INVOCATION_ID": invocation,
            "HTTP_AMZ_SDK_REQUEST": f"attempt={attempt}; max=3",
        }
        body = b"".join(_replaying(app)(environ, lambda s, h, e=None: said.update(status=s)))
        return said["status"], body

    assert call("put-1", 1) == ("200 OK", b"answer 1")
    assert call("put-1", 2) == ("200 OK", b"answer 1")  # replayed, not run again
    assert call("put-2", 1) == ("200 OK", b"answer 2")  # another call runs
    assert call("fail-1", 1, "/fail")[0].startswith("500")
    assert call("fail-1", 2, "/fail") == ("500 Internal Server Error", b"answer 4")  # re-run
    assert len(calls) == 4


def test_a_replayed_answer_comes_only_once_the_request_is_read():
    """Go's transport writes a request's body after its headers: an answer that comes
    first lets the client close the body under that write, and the failed write closes
    the connection under the client's read of the answer (CI: DeleteParameter, "use of
    closed network connection", on both attempts)."""
    import io

    from driver.local.emulator.replay import replaying as _replaying

    def app(environ, start_response):
        environ["wsgi.input"].read(int(environ["CONTENT_LENGTH"]))  # as moto does
        start_response("200 OK", [("Content-Type", "application/x-amz-json-1.1")])
        return [b"{}"]

    body = b'{"Name": "/vpnlab/tgw-osaka/tunnel1/address"}'
    read_when_answered = []
    for attempt in (1, 2):
        environ = {
            "PATH_INFO": "/",
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.input": io.BytesIO(body),
            "HTTP_AMZ_SDK_INVOCATION_ID": "delete-read-first",
            "HTTP_AMZ_SDK_REQUEST": f"attempt={attempt}; max=2",
        }

        def answered(status, headers, exc_info=None, request=environ["wsgi.input"]):
            read_when_answered.append(request.tell())

        assert b"".join(_replaying(app)(environ, answered)) == b"{}"
    assert read_when_answered == [len(body), len(body)]  # the replay (attempt 2) too
