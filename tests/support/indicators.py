"""The plan's indicators as an e2e test reads them: the answer once every service's part is in.

A busy machine may leave a service's part out of one answer (each is asked within the test
platform's VIEW_TIMEOUT and named in `degraded`); the gateway keeps only whole answers, so the
test asks again until one is whole.
"""

from tests.support.messaging import wait_for

#: how long a test waits for a whole answer: a year's answer asks every service thirteen times
WHOLE_ANSWER_TIMEOUT = 90


def complete_indicators(session, period: str) -> dict:
    """The `/api/v1/indicators` answer of `period` with every service's part."""

    def whole():
        answer = session.get("/api/v1/indicators", params={"period": period}).json()
        return answer if not answer["degraded"] else None

    return wait_for(
        whole, timeout=WHOLE_ANSWER_TIMEOUT, interval=1, message="a complete indicators answer"
    )


def indicator_values(session, period: str) -> dict:
    """Each indicator's value of `period` by its code, from a whole answer."""
    answer = complete_indicators(session, period)
    return {i["code"]: i["value"] for task in answer["tasks"] for i in task["indicators"]}
