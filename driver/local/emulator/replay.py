"""SDK retries of an attempt that landed get that attempt's answer.

An SDK retries a call when an attempt's answer is lost (a reset connection,
a timeout). If that attempt had landed, the retry would act twice: a second
RunInstances, or PutParameter failing with ParameterAlreadyExists (seen once
in CI under load). Every attempt of one call carries the same
amz-sdk-invocation-id, so a retry gets the answer of the attempt that landed
(waiting for it if it is still running), as an idempotent server would;
the emulator's log names each replay.
"""

from __future__ import annotations

import threading

from driver.local.emulator.common import read_request_body

REPLAY_MEMORY = 2000  # calls remembered (answers are small; Terraform makes hundreds)


class _Answer:
    def __init__(self):
        self.done = threading.Event()
        self.status, self.headers, self.body = "", [], b""


_answers: dict[str, _Answer] = {}
_answers_lock = threading.Lock()


def replaying(app):
    def wrapped(environ, start_response):
        call = environ.get("HTTP_AMZ_SDK_INVOCATION_ID")
        attempt = environ.get("HTTP_AMZ_SDK_REQUEST", "attempt=1").split(";")[0]
        if not call:
            return app(environ, start_response)
        with _answers_lock:
            earlier = _answers.get(call)
            if earlier is None:
                answer = _answers[call] = _Answer()
                while len(_answers) > REPLAY_MEMORY:
                    _answers.pop(next(iter(_answers)))
        if (
            earlier is not None
            and attempt != "attempt=1"
            and earlier.done.wait(60)
            and earlier.status.startswith("2")  # a failed attempt is tried again
        ):
            print(f"vpnlab: replayed the answer of call {call} ({attempt})", flush=True)
            read_request_body(environ)
            start_response(earlier.status, earlier.headers)
            return [earlier.body]
        if earlier is not None:
            answer = earlier
        captured: dict = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, list(headers)
            return start_response(status, headers, exc_info)

        try:
            body = b"".join(app(environ, capture))
        except BaseException:
            answer.done.set()
            raise
        answer.status, answer.headers, answer.body = (
            captured["status"],
            captured["headers"],
            body,
        )
        answer.done.set()
        return [body]

    return wrapped
