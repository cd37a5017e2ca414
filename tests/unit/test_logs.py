import json
import logging

from services.common.context import CallContext, bind_context, unbind_context
from services.common.logs import JsonFormatter, redact


def test_citizen_ids_and_mobiles_are_masked_wherever_they_appear():
    text = "params ('11010519491231002X', '13800138000', '+8613912345678') order 20261128000001"
    assert (
        redact(text)
        == "params ('110105********002X', '138****8000', '+86139****5678') order 20261128000001"
    )


def test_a_log_line_is_one_json_object_with_the_request_id_and_extras():
    formatter = JsonFormatter("jobs")
    token = bind_context(CallContext(request_id="req-7"))
    try:
        record = logging.makeLogRecord(
            {
                "msg": "applied %s",
                "args": ("x",),
                "levelname": "INFO",
                "name": "t",
                "event_id": "e-1",
            }
        )
        entry = json.loads(formatter.format(record))
    finally:
        unbind_context(token)
    assert entry["msg"] == "applied x"
    assert (
        entry["service"] == "jobs" and entry["request_id"] == "req-7" and entry["event_id"] == "e-1"
    )


def test_an_exception_carrying_a_citizen_id_is_logged_masked():
    formatter = JsonFormatter("gateway")
    try:
        raise ValueError("duplicate key 11010519491231002X")
    except ValueError:
        import sys

        record = logging.makeLogRecord(
            {"msg": "failed", "levelname": "ERROR", "exc_info": sys.exc_info()}
        )
    line = formatter.format(record)
    assert "11010519491231002X" not in line and "110105********002X" in line
