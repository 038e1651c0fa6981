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
