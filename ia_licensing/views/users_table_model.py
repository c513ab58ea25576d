"""The Users container's rows: one per user, with the License allocation method and the
user's licenses at a glance; a user short of their workgroups' media carries the R18 note."""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtCore import QObject

from ia_licensing.models import Database
from ia_licensing.services import containers
from ia_licensing.services.containers import UserRow
from ia_licensing.views.holder_table_model import Column, HolderTableModel, natural, yes_no


class UsersTableModel(HolderTableModel[UserRow]):
    NAME = 0
    LICENSE_ALLOCATION_METHOD = 1
    ENABLE_LICENSES = 2
    CLIENT_ACCESS = 3
    ACD_LEVEL = 4
    ADDITIONAL_LICENSES = 5

    COLUMNS: ClassVar[tuple[Column, ...]] = (
        ("Name", lambda r: r.name, lambda r: natural(r.name)),
        ("License Allocation Method", lambda r: r.method.label, lambda r: r.method.value),
        ("Enable Licenses", lambda r: yes_no(r.licenses_enabled), lambda r: r.licenses_enabled),
        ("Client Access", lambda r: yes_no(r.client_access), lambda r: r.client_access),
        ("ACD Level", lambda r: r.acd_level, lambda r: r.acd_level),
        ("Additional Licenses", lambda r: r.additional, lambda r: r.additional.casefold()),
    )

    # Workgroup changes are not ignored: they change the R18 notes of many users (R19).
    ROW_ACTIONS: ClassVar[frozenset[str]] = frozenset(
        {"user add", "user update", "user delete", "allocate", "deallocate"}
    )
    IGNORED: ClassVar[tuple[str, ...]] = ("station ", "license", "entitlement", "init")

    def __init__(self, db: Database, parent: QObject | None = None, *, defer: bool = False) -> None:
        super().__init__(
            lambda: containers.user_rows(db),
            parent,
            db=db,
            load_some=lambda names: containers.user_rows(db, names),
            defer=defer,
        )
