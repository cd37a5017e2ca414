"""Two small services that exercise the messaging kit with no domain in the way.

* `probe` writes notes; each note is a change plus a `note.written` event in one transaction;
* `sink` applies `probe.note.written` events into its own table, once each; a note whose text is
  `poison` makes its handler fail while `SINK_FAILS_ON_POISON` is true.

Run as processes by the fault tests:

    python -m tests.support.probe_service probe|sink     # a service, configured from the env
    python -m tests.support.probe_service emit N         # write N notes, publish them, exit
"""

import warnings

warnings.filterwarnings("ignore", message="\nEventlet is deprecated")
import eventlet  # noqa: E402

eventlet.monkey_patch()

import os  # noqa: E402
import sys  # noqa: E402

import sqlalchemy as sa  # noqa: E402
from marshmallow import Schema, fields  # noqa: E402
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column  # noqa: E402

from services.common import faults  # noqa: E402
from services.common.consumer import event_handler  # noqa: E402
from services.common.db import Database, create_engine_for  # noqa: E402
from services.common.errors import InvalidInput  # noqa: E402
from services.common.events import EventCatalog, EventSpec  # noqa: E402
from services.common.models import service_metadata  # noqa: E402
from services.common.rpc import rpc  # noqa: E402
from services.common.service import ServiceBase  # noqa: E402


class ProbeBase(DeclarativeBase):
    metadata = service_metadata()


class Note(ProbeBase):
    __tablename__ = "note"
    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(sa.String(200))


class SinkBase(DeclarativeBase):
    metadata = service_metadata()


class AppliedNote(SinkBase):
    __tablename__ = "applied_note"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(sa.String(64))
    note_id: Mapped[int]
    text: Mapped[str] = mapped_column(sa.String(200))


class NoteWritten(Schema):
    id = fields.Integer(required=True)
    text = fields.String(required=True)


PROBE_EVENTS = EventCatalog("probe", {"note.written": EventSpec(NoteWritten, "A note was written")})


class ProbeService(ServiceBase):
    name = "probe"
    db = Database(ProbeBase.metadata, package="tests.support", events=PROBE_EVENTS)

    @rpc
    def write_note(self, text: str, note_id: int | None = None) -> int:
        with self.db.unit_of_work() as uow:
            note = Note(id=note_id, text=text)
            uow.session.add(note)
            uow.session.flush()
            uow.record("note.written", subject=note.id, data=note)
            uow.commit()
            return note.id

    @rpc
    def ping(self) -> str:
        return "pong"

    @rpc
    def whoami(self) -> dict:
        """The actor this call runs as: what a service would decide with."""
        actor = self.caller.actor
        return {"account_id": actor.account_id, "role": actor.role, "unit": actor.unit}

    @rpc
    def refuse(self, field: str) -> None:
        raise InvalidInput.for_field(field, "required")

    @rpc
    def explode(self) -> None:
        raise RuntimeError("a bug, with 11010519491231002X in its message")

    @rpc
    def hang(self, seconds: float) -> str:
        eventlet.sleep(seconds)
        return "woke"


class SinkService(ServiceBase):
    name = "sink"
    db = Database(SinkBase.metadata, package="tests.support")
    fails_on_poison = os.environ.get("SINK_FAILS_ON_POISON", "true") == "true"

    @event_handler("probe", "note.written", NoteWritten)
    def on_note_written(self, event, uow):
        if event.data["text"] == "poison" and SinkService.fails_on_poison:
            raise RuntimeError("poisoned")
        uow.session.add(
            AppliedNote(event_id=event.id, note_id=event.data["id"], text=event.data["text"])
        )


def _settings(name: str):
    from services.common.config import Settings

    return Settings.from_env(name)


def _emit(count: int) -> None:
    """Write `count` notes and publish them through a relay, then exit."""
    from nameko.containers import ServiceContainer

    settings = _settings("probe")
    faults.arm(settings.fault_point)
    engine = create_engine_for(settings.database_url)
    ProbeBase.metadata.create_all(engine)
    engine.dispose()
    container = ServiceContainer(ProbeService, settings.nameko_config())
    container.start()
    database = next(d for d in container.dependencies if isinstance(d, Database))
    for index in range(count):
        with database.unit_of_work() as uow:
            note = Note(text=f"note {index}")
            uow.session.add(note)
            uow.session.flush()
            uow.record("note.written", subject=note.id, data=note)
            uow.commit()
    database.relay.drain()
    container.stop()


def main() -> None:
    from services.common.runner import run_service

    command = sys.argv[1]
    if command == "emit":
        _emit(int(sys.argv[2]))
        return
    service = {"probe": ProbeService, "sink": SinkService}[command]
    run_service(service, _settings(command))


if __name__ == "__main__":
    main()
