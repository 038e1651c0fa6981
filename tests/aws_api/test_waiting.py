"""Bounded waits that ride out throttling only (driver/aws_api/waiting.py)."""

import pytest


def test_a_wait_polls_again_through_throttling_but_not_through_other_errors():
    from botocore.exceptions import ClientError

    from driver.aws_api.waiting import Backoff, wait_until

    answers = iter([ClientError({"Error": {"Code": "Throttling"}}, "Describe"), (True, "UP")])

    def probe():
        answer = next(answers)
        if isinstance(answer, Exception):
            raise answer
        return answer

    fast = Backoff(first=0.001, longest=0.001)
    assert wait_until(probe, 5, "x", lambda m: None, fast).status == "UP"

    def denied():
        raise ClientError({"Error": {"Code": "UnauthorizedOperation"}}, "Describe")

    with pytest.raises(ClientError, match="UnauthorizedOperation"):
        wait_until(denied, 5, "x", lambda m: None, fast)


def test_a_wait_is_bounded_and_says_how_long_it_waited():
    from driver.aws_api.waiting import Backoff, wait_until

    said: list[str] = []
    outcome = wait_until(
        lambda: (False, "DOWN"), 0.3, "tunnels", said.append, Backoff(0.01, 1.0, 0.01), 0.1
    )
    assert not outcome.done and outcome.status == "DOWN" and 0.3 <= outcome.seconds < 1.0
    assert said and said[0].startswith("  waiting for tunnels (0 s of 0 s): DOWN")
