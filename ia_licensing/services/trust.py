"""R36: the vendor keys a database trusts are recorded in it.

No key ships with the package. `init` records the keys of the trust store it is given
(`--trust-store DIR`, or the folder `IA_LICENSING_TRUST_STORE` names); `init --demo`
records the public half of a throw-away key made for that database alone. Afterwards the
database also records the key of every license it loads, and the key that verifies the
license in force when a trust store given on the command line is what verified it — so a
later command without the flag verifies exactly what the last one did: it neither trusts
more (the door stays shut) nor less (the entitlements stay). A store given on a command
adds its keys for that command; the same key id naming another key is refused.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from ia_licensing.licensefile import TrustStore, fingerprint
from ia_licensing.models import Database, TrustedKey
from ia_licensing.models.schema import utcnow
from ia_licensing.services import audit
from ia_licensing.services.audit import AuditAction

ENVIRONMENT = "IA_LICENSING_TRUST_STORE"


def given_store(directory: str | None) -> TrustStore | None:
    """The trust store named on the command line, else by IA_LICENSING_TRUST_STORE."""
    folder = directory or os.environ.get(ENVIRONMENT) or None
    return TrustStore.from_directory(folder) if folder else None


def recorded(session: Session) -> TrustStore:
    rows = session.execute(select(TrustedKey.key_id, TrustedKey.public_key)).all()
    return TrustStore.from_raw_keys({k: base64.b64decode(v) for k, v in rows})


def effective(session: Session, given: TrustStore | None) -> TrustStore:
    """The keys recorded in the database, and those of the store given (if any)."""
    store = recorded(session)
    return store.merged(given) if given is not None and len(given) else store


def trusted(db: Database, given: TrustStore | None = None) -> TrustStore:
    with db.read() as session:
        return effective(session, given)


def record(
    session: Session, store: TrustStore, source: str, key_ids: Iterable[str] | None = None
) -> list[str]:
    """Record `store`'s keys (or only `key_ids` of them) not yet recorded; audit each one.
    Returns the ids recorded now. A recorded id naming another key is refused."""
    already = recorded(session)
    already.merged(store)  # refuses a key id that names two keys
    wanted = store.raw_keys()
    if key_ids is not None:
        chosen = set(key_ids)
        wanted = {k: v for k, v in wanted.items() if k in chosen}
    added = []
    for key_id, raw in sorted(wanted.items()):
        if already.get(key_id) is not None:
            continue
        session.add(
            TrustedKey(
                key_id=key_id,
                public_key=base64.b64encode(raw).decode("ascii"),
                added_at=utcnow(),
                source=source[:255],
            )
        )
        key = store.get(key_id)
        assert key is not None
        audit.record(session, AuditAction.TRUST_KEY, key_id, "", f"{source}; {fingerprint(key)}")
        added.append(key_id)
    if added:
        session.flush()
    return added


def adopt(db: Database, store: TrustStore | None, source: str) -> list[str]:
    """Record every key of a store given explicitly (`init --trust-store`)."""
    if store is None or not len(store):
        return []
    with db.write() as session:
        return record(session, store, source)


def key_ids(db: Database) -> list[str]:
    with db.read() as session:
        return list(session.scalars(select(TrustedKey.key_id).order_by(TrustedKey.key_id)))
