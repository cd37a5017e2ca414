"""Every operation a person does has a page: the console calls every operation of the OpenAPI
document whose roles include a person's (a visitor, a young person, an employer, an officer, an
admin, or a partner's staff), unless it is one of the few operations only a machine calls."""

from gateway.openapi import build_document
from gateway.service import GatewayService
from tests.support.console_calls import calls_operation, console_calls

PEOPLES_ROLES = {"public", "youth", "employer", "officer", "admin", "partner"}

# Operations no page calls, and why: each is read by a program, not a person at a page.
MACHINE_ONLY = {
    ("get", "/"),  # the console's own page, which the browser loads
    ("get", "/console/{asset}"),  # its scripts, styles and translations
    ("get", "/api/docs"),  # the API's reference, for developers
    ("get", "/api/docs/{asset}"),
    ("get", "/api/v1/openapi.json"),  # read by the console for enumerations, and by developers
    ("get", "/api/v1/asyncapi.json"),  # the events' contract, for subscribers' developers
    ("get", "/healthz"),  # Kubernetes' probes
    ("get", "/readyz"),
    ("get", "/api/v1/housing/verify_draw.py"),  # run by whoever checks a draw, linked from it
    ("post", "/api/v1/partners/facts"),  # a partner's system pushing facts it holds
}


def human_operations() -> list[tuple[str, str]]:
    document = build_document(GatewayService.routes())
    return [
        (method, path)
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        if PEOPLES_ROLES & set(operation["x-roles"])
    ]


def test_the_console_calls_every_operation_a_person_does():
    calls = console_calls()
    uncalled = [
        f"{method.upper()} {path}"
        for method, path in human_operations()
        if (method, path) not in MACHINE_ONLY
        and not any(calls_operation(call, method, path) for call in calls)
    ]
    assert not uncalled, "operations no page calls:\n" + "\n".join(uncalled)


def test_every_machine_only_operation_exists():
    # a renamed route must not leave a stale exemption behind
    assert set(human_operations()) >= MACHINE_ONLY


def test_a_call_is_matched_by_method_path_and_the_words_its_script_writes(tmp_path):
    (tmp_path / "page.js").write_text(
        'const BASE = "/api/v1/things";\n'
        "const thingPath = (id) => `${BASE}/${id}`;\n"
        "function decide(path) { return post(path, {}); }\n"
        "decide(`${thingPath(thing.id)}/decision`);\n"
        'for (const verb of ["retire"]) post(`${BASE}/${id}/${verb}`);\n'
        "get(BASE);\n",
        encoding="utf-8",
    )
    calls = console_calls(tmp_path)
    assert any(calls_operation(c, "post", "/api/v1/things/{id}/decision") for c in calls)
    assert any(calls_operation(c, "get", "/api/v1/things") for c in calls)
    assert any(calls_operation(c, "post", "/api/v1/things/{id}/retire") for c in calls)
    assert not any(calls_operation(c, "post", "/api/v1/things/{id}/reopen") for c in calls)
    assert not any(calls_operation(c, "delete", "/api/v1/things/{id}") for c in calls)
    assert not any(calls_operation(c, "get", "/api/v1/things/{id}/decision") for c in calls)
