"""Feeds a container's table model from the console: every row the first time it is
shown, then only the rows the change feed names (a logon elsewhere names none, so
Stations and Users read nothing; an edit names its holders; an unknown change, all).

Reading 50,000 rows takes most of a second, so a container being shown reads its first
screenful at once and the rest on a worker thread (`load_in_background`): the model is
fed the whole set, already ordered for the sort then in force, when it arrives. Sorting and
filtering work on what is there meanwhile, and the whole set takes the sort and filter in
force when it arrives. Changes made meanwhile are read once it has arrived.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Generic

from ia_licensing.console_api import Changes, ConsoleApi
from ia_licensing.views.holder_table_model import HolderTableModel, Row
from ia_licensing.widgets.table_model import Ordered
from ia_licensing.widgets.worker import Job, settle_heap

ReadRows = Callable[[ConsoleApi, Iterable[str] | None], Sequence[Row]]
ReadFirst = Callable[[ConsoleApi, int], Sequence[Row]]
ChangedNames = Callable[[Changes], frozenset[str] | None]
FIRST_PAGE = 100  # rows read on the GUI thread: more than a screenful, a few milliseconds


class RowFeed(Generic[Row]):
    def __init__(
        self,
        api: ConsoleApi,
        model: HolderTableModel[Row],
        read: ReadRows[Row],
        changed: ChangedNames,
        first: ReadFirst[Row] | None = None,
    ) -> None:
        self.api, self.model = api, model
        self._read, self._changed, self._first = read, changed, first
        self._seen = 0  # the change feed's position when the rows were last read
        self.loading: Job | None = None  # the background read of every row
        self.arrived: Callable[[], None] = lambda: None  # after every background read

    @property
    def complete(self) -> bool:
        """Every row has been read (not only the first page)."""
        return self.model.loaded and self.loading is None

    def ensure_loaded(self) -> None:
        """Every row, now (what needs them all, such as << and >>, cannot wait)."""
        if not self.complete:
            self.reload()

    def reload(self) -> None:
        self._drop_loading()
        # The feed's position first: a change made while reading is read again next time.
        self._seen = self.api.newest_change()
        self.model.set_rows(self._read(self.api, None))

    def load_in_background(self, when: Callable[[Callable[[], None]], None] | None = None) -> None:
        """The first page now and every row from a worker (`arrived` is called once they
        are shown); without a first-page reader, every row now. `when` says when to start
        the worker (the view: once the first page is painted, which a worker running
        Python code would slow down); the rows count as arriving from now on."""
        if self.model.loaded:
            return
        if self._first is None:
            self.reload()
            return
        self._seen = self.api.newest_change()
        self.model.set_rows(self._first(self.api, FIRST_PAGE))
        job = self._read_all(start=False)

        def start() -> None:
            if self.loading is job:  # not read meanwhile (ensure_loaded)
                job.start()

        (when or (lambda go: go()))(start)

    def _read_all(self, *, start: bool = True) -> Job:
        """Every row, read and ordered on a worker; the rows shown stay until they come."""
        read, api, model = self._read, self.api, self.model

        def every_row(_job: Job) -> Ordered[Row]:  # on the worker thread
            return model.in_order(read(api, None))

        def show(rows: Ordered[Row]) -> None:
            if self.loading is job:
                self.loading = None
                self.model.set_rows(rows)
                settle_heap()
                self.refresh()  # what changed while reading
                self.arrived()

        def give_up(_error: object) -> None:  # what is shown stays; the next show retries
            if self.loading is job:
                self.loading = None
                self.model.loaded = False
                self.arrived()

        self._drop_loading()
        job = Job(every_row, self.model)
        job.succeeded.connect(show)
        job.failed.connect(give_up)
        self.loading = job
        if start:
            job.start()
        return job

    def _drop_loading(self) -> None:
        if self.loading is not None:
            self.loading.cancel()
            self.loading = None  # its rows, when they come, are not shown

    def refresh(self) -> None:
        """Read again only what changed: at 50,000 rows reading everything takes about half
        a second, reading the few holders an edit touched, milliseconds."""
        if not self.complete:
            return  # read when first shown; changes during the background read, after it
        changes = self.api.changes_since(self._seen)
        self._seen = changes.newest
        names = self._changed(changes)
        if names is None and self._first is not None:
            self._read_all()  # an import or a new license: most of a second of reading
        elif names is None:
            self.model.set_rows(self._read(self.api, None))
        elif names:
            self.model.update_rows(names, self._read(self.api, names))
