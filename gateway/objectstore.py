"""Where evidence files live: an object store behind three calls (`put`, `get`, `delete`).

* **Files under `DATA_DIR`** (`FileStore`) when no `OBJECT_STORE_ENDPOINT` is set: the embedded
  default of `make run`, like the SQLite files beside it.
* **Any S3-compatible endpoint** (`S3Store`: MinIO in the compose stack, a cloud's object
  storage in Kubernetes) through boto3, the maintained S3 client, when it is set, with
  `OBJECT_STORE_BUCKET` and the credentials `OBJECT_STORE_ACCESS_KEY` /
  `OBJECT_STORE_SECRET_KEY`.

Keys are chosen by the gateway (`evidence/<owner id>/<document id>`), never from a file's name,
so a key carries nothing personal and cannot climb out of its folder. Objects are written once
and never overwritten; deleting one that is already gone succeeds (erasure may repeat).
"""

from __future__ import annotations

import functools
import logging
import os
import re
import tempfile
from pathlib import Path
from typing import Protocol

from nameko.extensions import DependencyProvider

from services.common.config import settings_of
from services.common.errors import DomainError

log = logging.getLogger(__name__)

#: what a key may be made of: the gateway's own ids and slashes, nothing a path could abuse
_KEY = re.compile(r"^[A-Za-z0-9-]+(/[A-Za-z0-9-]+)*$")


class StoreUnavailable(DomainError):
    """The object store did not answer (or refused): 503, try again later."""

    status = 503
    code = "evidence_store_unavailable"


def answering(method):
    """A store's call whose own failures (a file system error, an S3 endpoint away or refusing,
    a file gone) become `StoreUnavailable`, logged by kind only (the key names a person)."""

    @functools.wraps(method)
    def call(self, key: str, *args):
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return method(self, checked_key(key), *args)
        except (OSError, BotoCoreError, ClientError) as exc:
            log.warning("object store %s failed: %s", method.__name__, type(exc).__name__)
            raise StoreUnavailable() from exc

    return call


class ObjectStore(Protocol):
    """Bytes by key."""

    def put(self, key: str, data: bytes, content_type: str) -> None: ...

    def get(self, key: str) -> bytes: ...

    def delete(self, key: str) -> None: ...


def checked_key(key: str) -> str:
    if not _KEY.match(key):
        raise ValueError("an object key is ids separated by slashes")
    return key


class FileStore:
    """Objects as files under `root` (`DATA_DIR/evidence`), written whole or not at all."""

    def __init__(self, root: str | Path):
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        return self.root / checked_key(key)

    @answering
    def put(self, key: str, data: bytes, content_type: str) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        # a crash mid-write leaves a temporary file, never half a document under its key
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    @answering
    def get(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    @answering
    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)


class S3Store:
    """Objects in one bucket of an S3-compatible endpoint; the bucket is created on the first
    write if it does not exist yet (MinIO in compose starts empty; where the operator
    provisions it and forbids creating buckets, it exists already)."""

    def __init__(
        self,
        endpoint: str,
        bucket: str,
        access_key: str | None,
        secret_key: str | None,
        region: str,
        timeout: float = 10.0,
    ):
        import boto3
        from botocore.config import Config

        self.bucket = bucket
        self.client = boto3.client(
            "s3",
            endpoint_url=endpoint,
            aws_access_key_id=access_key,
            aws_secret_access_key=secret_key,
            region_name=region,
            config=Config(
                # path-style addressing: MinIO and most S3-compatible stores expect it
                s3={"addressing_style": "path"},
                connect_timeout=timeout,
                read_timeout=timeout,
                retries={"max_attempts": 3, "mode": "standard"},
            ),
        )
        self._bucket_known = False

    @answering
    def put(self, key: str, data: bytes, content_type: str) -> None:
        from botocore.exceptions import ClientError

        arguments = {
            "Bucket": self.bucket,
            "Key": checked_key(key),
            "Body": data,
            "ContentType": content_type,
        }
        try:
            self.client.put_object(**arguments)
        except ClientError as exc:
            if _code(exc) != "NoSuchBucket" or self._bucket_known:
                raise
            self._create_bucket()
            self.client.put_object(**arguments)
        self._bucket_known = True

    def _create_bucket(self) -> None:
        from botocore.exceptions import ClientError

        try:
            self.client.create_bucket(Bucket=self.bucket)
        except ClientError as exc:
            if _code(exc) not in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
                raise

    @answering
    def get(self, key: str) -> bytes:
        answer = self.client.get_object(Bucket=self.bucket, Key=checked_key(key))
        return answer["Body"].read()

    @answering
    def delete(self, key: str) -> None:
        # S3 answers a delete of a missing key with success, as erasure needs
        self.client.delete_object(Bucket=self.bucket, Key=checked_key(key))


def _code(error) -> str:
    return error.response.get("Error", {}).get("Code", "")


def store_from(settings) -> ObjectStore:
    """The store the settings name: S3 at `OBJECT_STORE_ENDPOINT`, else files under
    `DATA_DIR/evidence`."""
    if settings.object_store_endpoint:
        return S3Store(
            settings.object_store_endpoint,
            settings.object_store_bucket,
            settings.object_store_access_key,
            settings.object_store_secret_key,
            settings.object_store_region,
        )
    return FileStore(Path(settings.data_dir) / "evidence")


class EvidenceStore(DependencyProvider):
    """Injects the process's object store for evidence, made once when the container is set
    up (an S3 client is costly to build and safe to share between workers)."""

    store: ObjectStore | None = None

    def setup(self) -> None:
        """Before the container starts: the store its settings name."""
        self.store = store_from(settings_of(self.container))

    def get_dependency(self, worker_ctx) -> ObjectStore:
        return self.store
