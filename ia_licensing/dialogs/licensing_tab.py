"""The Licensing tab of Station Configuration and User Configuration (and the Add Station
wizard's Licensing page): one widget, with the fields the spec gives each kind of holder.

The tab holds the administrator's pending choices; the dialog saves them in one
transaction (KeyEdit(exact=…)). Every choice a rule forbids is disabled with the rule's
message as tooltip — the same `rules.allocation_refusal` the service enforces — and every
key says how many are left beside it, counting this holder's pending choices.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ia_licensing import catalog, rules
from ia_licensing.catalog import InteractionType
from ia_licensing.console_api import Choices, HolderSettings, exhausted
from ia_licensing.rules import HolderKind, KeyCounts, Pool, Refusal
from ia_licensing.widgets.container_parts import keep_place
from ia_licensing.widgets.words import with_rule

ENABLED_LINE = "These licenses are enabled and will impact the license usage count"
KEY_ROLE = Qt.ItemDataRole.UserRole + 1
STATION_IPA = (catalog.IPA_DIRECT, catalog.IPA_GROUP)  # R12: the others are user-only


# Keys with a field of their own on the Licensing tab; the others are Additional Licenses.
TAB_KEYS = frozenset(
    {
        catalog.BASIC_STATION,
        catalog.CLIENT_ACCESS,
        catalog.ACD_SOCIAL_MEDIA,
        *catalog.ACD_LEVEL_LABELS,
        *catalog.IPA_LABELS,
        *catalog.ANALYTICS_LABELS,
    }
)


def refusal_tip(refusal: Refusal) -> str:
    return with_rule(refusal.message, refusal.rule)


def _camel(text: str) -> str:
    words = "".join(c if c.isalnum() else " " for c in text).split()
    return words[0].lower() + "".join(w.capitalize() for w in words[1:])


class LicensingTab(QWidget):
    changed = Signal()

    def __init__(
        self,
        kind: HolderKind,
        *,
        machine_name_taken_by: Callable[[str], str | None] = lambda _name: None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.kind = kind
        self._taken_by = machine_name_taken_by
        self._choices = Choices(kind, HolderSettings(""), None, {})
        self._loading = False
        self._holder_enabled = True
        self._sources: Mapping[str, Sequence[str]] = {}  # inherited key → workgroups (R32)
        self.setObjectName("licensingTab")
        self.setAccessibleName("Licensing")
        self.left_labels: dict[str, QLabel] = {}
        self._build()

    # --- layout -------------------------------------------------------------------------------

    def _check(self, text: str, key: str | None = None) -> QCheckBox:
        box = QCheckBox(text)
        box.setObjectName(f"{_camel(text)}CheckBox")
        box.setAccessibleName(text)
        box.toggled.connect(self._edited)
        if key is not None:
            box.setProperty("key", key)
        return box

    def _radio(self, text: str, key: str) -> QRadioButton:
        radio = QRadioButton(text)
        radio.setObjectName(f"{_camel(text)}Radio")
        radio.setAccessibleName(text)
        radio.setProperty("key", key)
        radio.toggled.connect(self._edited)
        return radio

    def _left_label(self, key: str) -> QLabel:
        label = QLabel()
        label.setObjectName(f"{_camel(catalog.describe(key).display_name)}LeftLabel")
        label.setAccessibleName(f"{catalog.describe(key).display_name} left")
        self.left_labels[key] = label
        return label

    def _group(self, labels: Mapping[str, str]) -> tuple[QButtonGroup, dict[str, QRadioButton]]:
        group = QButtonGroup(self)
        radios = {key: self._radio(text, key) for key, text in labels.items()}
        for radio in radios.values():
            group.addButton(radio)
        return group, radios

    def _build(self) -> None:
        station = self.kind is HolderKind.STATION
        grid = QGridLayout()
        grid.setColumnMinimumWidth(0, 18)
        row = 0

        def put(widget: QWidget, key: str | None = None, indent: bool = False) -> None:
            nonlocal row
            grid.addWidget(widget, row, 1 if indent else 0, 1, 1 if indent else 2)
            if key is not None:
                grid.addWidget(self._left_label(key), row, 2)
            row += 1

        self.machine_name_check = self._check("Licensed Machine Name")
        self.machine_name_edit = QLineEdit()
        self.machine_name_edit.setObjectName("licensedMachineNameEdit")
        self.machine_name_edit.setAccessibleName("Licensed Machine Name")
        self.machine_name_edit.textChanged.connect(self._edited)
        self.machine_name_problem = QLabel()
        self.machine_name_problem.setObjectName("licensedMachineNameProblem")
        self.machine_name_problem.setAccessibleName("Licensed Machine Name problem")
        self.machine_name_problem.setStyleSheet("color: #b00020;")
        keep_place(self.machine_name_problem)
        self.basic_station_check = self._check("Basic Station License", catalog.BASIC_STATION)
        self.assignable_radio = self._radio("Assignable", Pool.ASSIGNABLE.value)
        self.concurrent_radio = self._radio("Concurrent", Pool.CONCURRENT.value)
        self.method_group = QButtonGroup(self)
        self.method_group.addButton(self.assignable_radio)
        self.method_group.addButton(self.concurrent_radio)
        if station:
            put(self.machine_name_check)
            put(self.machine_name_edit, indent=True)
            put(self.machine_name_problem, indent=True)
            put(self.basic_station_check, catalog.BASIC_STATION)
        else:
            method = QGroupBox("License allocation method")
            method.setObjectName("licenseAllocationMethodGroup")
            method.setAccessibleName("License allocation method")
            box = QHBoxLayout(method)
            box.addWidget(self.assignable_radio)
            box.addWidget(self.concurrent_radio)
            box.addStretch(1)
            put(method)

        self.client_access_check = self._check("Client Access License", catalog.CLIENT_ACCESS)
        put(self.client_access_check, catalog.CLIENT_ACCESS)
        self.acd_check = self._check("ACD Access License")
        put(self.acd_check)
        self.acd_group, self.acd_radios = self._group(catalog.ACD_LEVEL_LABELS)
        for key, radio in self.acd_radios.items():
            put(radio, key, indent=True)
        # R18: the interaction types a Media 1 (one) or Media 2 (up to two) holder takes.
        types_row = QWidget()
        types_row.setObjectName("acdInteractionTypes")
        types_row.setAccessibleName("ACD interaction types")
        row_layout = QHBoxLayout(types_row)
        row_layout.setContentsMargins(0, 0, 0, 0)
        self.acd_types_label = QLabel("Interaction types:")
        self.acd_types_label.setObjectName("acdInteractionTypesLabel")
        self.acd_types_label.setAccessibleName("ACD interaction types")
        row_layout.addWidget(self.acd_types_label)
        self.acd_type_checks: dict[InteractionType, QCheckBox] = {}
        for kind in InteractionType:
            type_box = QCheckBox(kind.label)
            type_box.setObjectName(f"{_camel(kind.label)}TypeCheckBox")
            type_box.setAccessibleName(f"{kind.label} interaction type")
            type_box.toggled.connect(self._edited)
            self.acd_type_checks[kind] = type_box
            row_layout.addWidget(type_box)
        row_layout.addStretch(1)
        put(types_row, indent=True)
        self.social_media_check = self._check("ACD Social Media", catalog.ACD_SOCIAL_MEDIA)
        put(self.social_media_check, catalog.ACD_SOCIAL_MEDIA)
        self.ipa_check = self._check("IPA License")
        put(self.ipa_check)
        ipa = {k: v for k, v in catalog.IPA_LABELS.items() if not station or k in STATION_IPA}
        self.ipa_group, self.ipa_radios = self._group(ipa)
        for key, radio in self.ipa_radios.items():
            put(radio, key, indent=True)
        self.analytics_check = self._check("Analytics License")
        self.analytics_group, self.analytics_radios = self._group(catalog.ANALYTICS_LABELS)
        if not station:  # R13: Analytics is user-only, so a station's tab has no such field
            put(self.analytics_check)
            for key, radio in self.analytics_radios.items():
                put(radio, key, indent=True)
        grid.setRowStretch(row, 1)

        self.additional_list = QListWidget()
        self.additional_list.setObjectName("additionalLicensesList")
        self.additional_list.setAccessibleName("Additional Licenses")
        self.additional_list.itemChanged.connect(self._edited)
        additional = QVBoxLayout()
        title = QLabel("Additional Licenses:")
        title.setObjectName("additionalLicensesLabel")
        title.setAccessibleName("Additional Licenses")
        additional.addWidget(title)
        additional.addWidget(self.additional_list, 1)

        self.enable_licenses_check = self._check("Enable Licenses")
        self.enabled_line = QLabel(ENABLED_LINE)
        self.enabled_line.setObjectName("licensesEnabledLine")
        self.enabled_line.setAccessibleName(ENABLED_LINE)

        columns = QHBoxLayout()
        columns.addLayout(grid, 2)
        columns.addLayout(additional, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addWidget(self.enabled_line)
        layout.addWidget(self.enable_licenses_check)

    # --- loading ------------------------------------------------------------------------------

    def set_inherited(self, sources: Mapping[str, Sequence[str]]) -> None:
        """A user's keys held through workgroups (R32), each with the workgroups' names: the
        next `load` shows them ticked and greyed, "from workgroup NAME"."""
        self._sources = dict(sources)

    def load(
        self,
        settings: HolderSettings,
        counts: Mapping[str, KeyCounts],
        *,
        new: bool = False,
    ) -> None:
        """Show `settings`; `new`: nothing is stored yet (the wizard), so every key counts
        as a new allocation."""
        self._loading = True
        self._choices = Choices.of(self.kind, settings, counts, new=new)
        self._holder_enabled = settings.enabled
        keys = settings.held  # inherited keys show ticked too (R32)
        self.machine_name_check.setChecked(settings.machine_name is not None)
        self.machine_name_edit.setText(settings.machine_name or settings.name)
        self.basic_station_check.setChecked(catalog.BASIC_STATION in keys)
        radio = self.concurrent_radio if settings.method is Pool.CONCURRENT else None
        (radio or self.assignable_radio).setChecked(True)
        self.client_access_check.setChecked(catalog.CLIENT_ACCESS in keys)
        self.social_media_check.setChecked(catalog.ACD_SOCIAL_MEDIA in keys)
        for check, radios in self._groups():
            held = [k for k in radios if k in keys]
            check.setChecked(bool(held))
            for key, button in radios.items():
                button.setChecked(key in held)
        for kind, box in self.acd_type_checks.items():
            box.setChecked(kind in settings.acd_types)
        self.enable_licenses_check.setChecked(settings.licenses_enabled)
        self._fill_additional(keys)
        self._loading = False
        self._update()

    def _groups(self) -> tuple[tuple[QCheckBox, dict[str, QRadioButton]], ...]:
        return (
            (self.acd_check, self.acd_radios),
            (self.ipa_check, self.ipa_radios),
            (self.analytics_check, self.analytics_radios),
        )

    def _fill_additional(self, keys: frozenset[str]) -> None:
        """Purchased keys this kind of holder may hold (R2), and any it holds already."""
        self.additional_list.clear()
        offered = {
            k
            for k, c in self._choices.counts.items()
            if c.purchased and rules.holder_refusal(c.info, self.kind) is None
        }
        shown = (offered | keys) - TAB_KEYS
        for key in sorted(shown, key=lambda k: catalog.describe(k).display_name.casefold()):
            item = QListWidgetItem(catalog.describe(key).display_name)
            item.setData(KEY_ROLE, key)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if key in keys else Qt.CheckState.Unchecked)
            self.additional_list.addItem(item)

    # --- the pending settings ---------------------------------------------------------------

    def set_holder_enabled(self, enabled: bool) -> None:
        """The station's own Enabled box (elsewhere in the dialog) decides where keys count."""
        self._holder_enabled = enabled
        self._update()

    def settings(self) -> HolderSettings:
        keys: set[str] = set()
        for check, key in (
            (self.basic_station_check, catalog.BASIC_STATION),
            (self.client_access_check, catalog.CLIENT_ACCESS),
            (self.social_media_check, catalog.ACD_SOCIAL_MEDIA),
        ):
            if check.isChecked():
                keys.add(key)
        if self.kind is HolderKind.USER:
            keys.discard(catalog.BASIC_STATION)  # no such field on a user's tab (R7)
        for check, radios in self._groups():
            if check.isChecked():
                keys.update(k for k, r in radios.items() if r.isChecked())
        for i in range(self.additional_list.count()):
            item = self.additional_list.item(i)
            if item.checkState() == Qt.CheckState.Checked:
                keys.add(item.data(KEY_ROLE))
        station = self.kind is HolderKind.STATION
        machine = self.machine_name_edit.text() if self.machine_name_check.isChecked() else None
        # Inherited keys are ticked but not the user's own: a direct allocation of one of
        # them is kept as it is (R32).
        inherited = self._choices.saved.inherited
        direct = (frozenset(keys) - inherited) | (self._choices.saved.keys & inherited)
        return HolderSettings(
            self._choices.saved.name,
            direct,
            self.enable_licenses_check.isChecked(),
            self._holder_enabled if station else True,
            Pool.CONCURRENT if self.concurrent_radio.isChecked() else Pool.ASSIGNABLE,
            machine if station else None,
            self._chosen_types(frozenset(keys)),
            self._choices.saved.remote_login,  # User Configuration's Security Rights tab
            inherited,
        )

    def _chosen_types(self, keys: frozenset[str]) -> frozenset[InteractionType]:
        """The ticked interaction types, where the pending ACD level has a choice (R18)."""
        ticked = {kind for kind, box in self.acd_type_checks.items() if box.isChecked()}
        return rules.chosen_acd_types(rules.acd_level_of(keys), ticked)

    @property
    def is_dirty(self) -> bool:
        pending = self.settings()
        return pending != HolderSettings(
            pending.name,
            self._choices.saved.keys,
            self._choices.saved.licenses_enabled,
            pending.enabled,
            self._choices.saved.method,
            self._choices.saved.machine_name,
            self._choices.saved.acd_types,
            pending.remote_login,
            self._choices.saved.inherited,
        )

    # --- rules, as the administrator sees them --------------------------------------------------

    def _edited(self) -> None:
        if not self._loading:
            self._update()
            self.changed.emit()

    def key_refusal(self, key: str) -> Refusal | None:
        """Why `key` cannot be chosen now, given the other pending choices."""
        return self._choices.key_refusal(self.settings(), key)

    def start_counting_refusal(self, pending: HolderSettings) -> Refusal | None:
        return self._choices.start_counting_refusal(pending)

    def _update(self) -> None:
        pending = self.settings()
        self.enabled_line.setVisible(pending.licenses_enabled)
        self._forbid_if(self.basic_station_check, self.key_refusal(catalog.BASIC_STATION))
        self._forbid_if(self.client_access_check, self.key_refusal(catalog.CLIENT_ACCESS))
        self._forbid_if(self.social_media_check, self.key_refusal(catalog.ACD_SOCIAL_MEDIA))
        for check, radios in self._groups():
            refusals = {k: self.key_refusal(k) for k in radios}
            for key, radio in radios.items():
                radio.setEnabled(check.isChecked() and (radio.isChecked() or not refusals[key]))
                self._tip(radio, refusals[key])
            allowed = [k for k, r in refusals.items() if r is None]
            if check.isChecked() and not any(r.isChecked() for r in radios.values()) and allowed:
                self._loading = True
                radios[allowed[0]].setChecked(True)  # the first level that is allowed
                self._loading = False
            first = next(iter(refusals.values()), None)
            self._forbid_if(check, None if allowed else first)
        self._update_acd_types()
        for i in range(self.additional_list.count()):
            self._update_item(self.additional_list.item(i))
        self._update_switches(pending)
        self._update_left(pending)
        self._update_machine_name(pending)
        self._show_inherited()

    # --- R32: what the user holds through workgroups ---------------------------------------

    def inherited_from(self, key: str) -> str | None:
        """ "from workgroup Sales" for a key held through workgroups, else None."""
        names = self._sources.get(key) if key in self._choices.saved.inherited else None
        if not names:
            return None
        return ("from workgroup " if len(names) == 1 else "from workgroups ") + ", ".join(names)

    def _key_widgets(self) -> list[tuple[QAbstractButton, str]]:
        widgets: list[tuple[QAbstractButton, str]] = [
            (self.client_access_check, catalog.CLIENT_ACCESS),
            (self.social_media_check, catalog.ACD_SOCIAL_MEDIA),
        ]
        for _check, radios in self._groups():
            widgets += [(radio, key) for key, radio in radios.items()]
        return widgets

    def _show_inherited(self) -> None:
        """An inherited key is ticked and greyed, its label saying which workgroup it comes
        from; the other choices of its group are greyed too (one per holder, R11–R13)."""
        for widget, key in self._key_widgets():
            source = self.inherited_from(key)
            base = widget.property("baseText") or widget.text()
            widget.setProperty("baseText", base)
            widget.setText(f"{base} ({source})" if source else base)
            if source:
                widget.setEnabled(False)
                widget.setToolTip(f"held through the workgroup: {source} (R32)")
        for check, radios in self._groups():
            held = [k for k in radios if self.inherited_from(k)]
            if held:
                source = self.inherited_from(held[0])
                name = catalog.describe(held[0]).display_name
                tip = f"{name} is held {source}: one per holder (R32)"
                check.setEnabled(False)
                check.setToolTip(tip)
                for key, radio in radios.items():
                    radio.setEnabled(False)
                    if key not in held:
                        radio.setToolTip(tip)
        self.additional_list.blockSignals(True)
        for i in range(self.additional_list.count()):
            item = self.additional_list.item(i)
            source = self.inherited_from(item.data(KEY_ROLE))
            if source:
                item.setFlags(Qt.ItemFlag.ItemIsUserCheckable)  # ticked, greyed
                item.setText(f"{item.text()} ({source})")
                item.setToolTip(f"held through the workgroup: {source} (R32)")
        self.additional_list.blockSignals(False)

    def _update_acd_types(self) -> None:
        """R18: a Media 1 holder ticks one type, Media 2 up to two; Media 3 Plus takes all and
        no ACD Access has none, so there is nothing to tick. At the limit the other boxes are
        greyed with the rule as tooltip; fewer (or none) ticked is allowed: none chosen
        takes the holder's queues' types first (rules.acd_types_of)."""
        level = rules.acd_level_of(self.settings().keys)  # after a level was picked above
        allowed = rules.acd_types_allowed(level)
        choosing = 0 < allowed < len(catalog.ALL_INTERACTION_TYPES)
        ticked = [k for k, box in self.acd_type_checks.items() if box.isChecked()]
        if len(ticked) > allowed:  # a lower level keeps the first of the types ticked
            self._loading = True
            for kind in ticked[allowed:]:
                self.acd_type_checks[kind].setChecked(False)
            self._loading = False
            ticked = ticked[:allowed]
        if not choosing:
            name = catalog.describe(level).display_name if level else ""
            tip = (
                f"{name} takes every interaction type"
                if allowed
                else "choose Media 1 or Media 2 to choose interaction types"
            )
        for kind, box in self.acd_type_checks.items():
            if not choosing:
                box.setEnabled(False)
                box.setToolTip(f"{tip} (R18)")
                continue
            refusal = rules.acd_types_refusal(level, {*ticked, kind})
            box.setEnabled(box.isChecked() or refusal is None)
            self._tip(box, None if box.isChecked() else refusal)
        self.acd_types_label.setEnabled(choosing)

    def _update_item(self, item: QListWidgetItem) -> None:
        refusal = self.key_refusal(item.data(KEY_ROLE))
        checked = item.checkState() == Qt.CheckState.Checked
        flags = Qt.ItemFlag.ItemIsUserCheckable
        if checked or refusal is None:
            flags |= Qt.ItemFlag.ItemIsEnabled
        self.additional_list.blockSignals(True)
        item.setFlags(flags)
        item.setToolTip(refusal_tip(refusal) if refusal else "")
        key = item.data(KEY_ROLE)
        item.setText(f"{catalog.describe(key).display_name}  ({self._left_text(key)})")
        self.additional_list.blockSignals(False)

    def _update_switches(self, pending: HolderSettings) -> None:
        for radio, method in (
            (self.assignable_radio, Pool.ASSIGNABLE),
            (self.concurrent_radio, Pool.CONCURRENT),
        ):
            target = replace(pending, method=method)
            self._forbid_if(radio, self.start_counting_refusal(target))
        target = replace(pending, licenses_enabled=True)
        self._forbid_if(self.enable_licenses_check, self.start_counting_refusal(target))

    def _left_text(self, key: str) -> str:
        return self._choices.left_text(self.settings(), key)

    def _update_left(self, pending: HolderSettings) -> None:
        for key, label in self.left_labels.items():
            text = self._left_text(key)
            label.setText(text)
            label.setStyleSheet("color: #b00020;" if exhausted(text) else "color: palette(mid);")

    def _update_machine_name(self, pending: HolderSettings) -> None:
        self.machine_name_edit.setEnabled(self.machine_name_check.isChecked())
        name = pending.machine_name
        taken = self._taken_by(name) if name and name.strip() else None
        refusal = rules.machine_name_refusal(name, taken, self._choices.saved.machine_name)
        self.machine_name_problem.setText(refusal_tip(refusal) if refusal else " ")
        self.machine_name_problem.setVisible(refusal is not None)

    def _tip(self, widget: QAbstractButton, refusal: Refusal | None) -> None:
        widget.setToolTip(refusal_tip(refusal) if refusal else "")

    def _forbid_if(self, widget: QAbstractButton, refusal: Refusal | None) -> None:
        """Disable a choice a rule forbids, unless it is already made (it can be undone)."""
        widget.setEnabled(refusal is None or widget.isChecked())
        self._tip(widget, refusal)
