"""Consistency: every event type a service publishes is declared with a schema, and notify has a
decision (a message, or explicitly none) for each."""

import importlib

import pytest

from services.common.events import EventCatalog
from services.common.registry import PROCESSES
from services.notify.templates import load_templates


def catalogues() -> dict[str, EventCatalog]:
    found = {}
    for name, spec in PROCESSES.items():
        try:
            module = importlib.import_module(f"{spec.package}.events")
        except ModuleNotFoundError:
            continue
        found[name] = module.EVENTS
    return found


def test_each_catalogue_belongs_to_its_service():
    for name, catalogue in catalogues().items():
        assert catalogue.service == name


@pytest.mark.parametrize("service", sorted(catalogues()))
def test_notify_has_a_decision_for_every_event_type(service):
    templates = load_templates()
    undecided = [
        event_type
        for event_type, _ in catalogues()[service]
        if event_type not in templates.get(service, {})
    ]
    assert undecided == [], f"add these to services/notify/templates/{service}.json"


def test_notify_decides_nothing_for_types_that_do_not_exist():
    known = {
        service: {event_type for event_type, _ in catalogue}
        for service, catalogue in catalogues().items()
    }
    for service, decisions in load_templates().items():
        assert set(decisions) <= known.get(service, set()), service


def test_every_template_has_both_languages_and_a_recipient():
    for decisions in load_templates().values():
        for template in filter(None, decisions.values()):
            assert set(template.title) == set(template.body) == {"zh-CN", "en"}
            assert template.recipient
