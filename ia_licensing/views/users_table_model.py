"""The Users container's rows: one per user, with the License allocation method and the
user's licenses at a glance; a user short of their workgroups' media carries the R18 note."""

from __future__ import annotations

from typing import ClassVar

from ia_licensing.console_api import ConsoleApi, UserRow
from ia_licensing.views.holder_table_model import HolderTableModel
from ia_licensing.views.row_feed import RowFeed
from ia_licensing.widgets.ordering import natural, yes_no
from ia_licensing.widgets.table_model import Column


class UsersTableModel(HolderTableModel[UserRow]):
    NAME = 0
    LICENSE_ALLOCATION_METHOD = 1
    ENABLE_LICENSES = 2
    CLIENT_ACCESS = 3
    ACD_LEVEL = 4
    ADDITIONAL_LICENSES = 5

    COLUMNS: ClassVar[tuple[Column, ...]] = (
        Column("Name", lambda r: r.name, lambda r: natural(r.name)),
        Column("License Allocation Method", lambda r: r.method.label, lambda r: r.method.value),
        Column(
            "Enable Licenses", lambda r: yes_no(r.licenses_enabled), lambda r: r.licenses_enabled
        ),
        Column("Client Access", lambda r: yes_no(r.client_access), lambda r: r.client_access),
        Column("ACD Level", lambda r: r.acd_level, lambda r: r.acd_level),
        Column("Additional Licenses", lambda r: r.additional, lambda r: r.additional.casefold()),
    )


def users_feed(api: ConsoleApi) -> RowFeed[UserRow]:
    """The Users model fed from the console; only the users a change names are read."""
    return RowFeed(
        api,
        UsersTableModel(),
        ConsoleApi.user_rows,
        lambda c: c.users,
        first=lambda a, count: a.user_rows(a.user_names(limit=count)),
    )
