"""Keys she can move (`[keys]` in config.toml), a clash refused at start, and the theme she
picked remembered, through the app's own keys."""

from __future__ import annotations

import os
import re
import stat
import string
from datetime import datetime
from pathlib import Path

import pytest
from test_tui import SIZE, make_app, notices, screen_text, settle, typed
from textual.binding import Binding

from triage_tui.caseload import Caseload
from triage_tui.cli import main
from triage_tui.core.errors import TriageError
from triage_tui.store.config import ACTIONS, key_name, load_settings, remember_theme
from triage_tui.ui.app import TriageApp, create_app
from triage_tui.ui.keys import declared, screens
from triage_tui.ui.screens.forms import Form
from triage_tui.ui.screens.help import HelpScreen
from triage_tui.ui.screens.queue import QueueScreen
from triage_tui.ui.widgets.keybar import fit


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "data"


def write_config(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def footer(app: TriageApp) -> str:
    return screen_text(app).splitlines()[-1]


# -- reading [keys] -------------------------------------------------------------------------


def test_keys_are_read_by_action_and_named_as_textual_names_them(tmp_path: Path) -> None:
    write_config(tmp_path, '[keys]\nadd = "N"\nhelp = "?,F2"\nfilter = "ctrl+/"\nreview = ["v", "shift+w"]\n')
    assert load_settings(tmp_path).keys == {
        "add": "N",
        "help": "question_mark,f2",
        "filter": "ctrl+slash",
        "review": "v,shift+w",
    }


def test_every_character_key_is_named_as_textual_names_it() -> None:
    for character in string.printable.strip().replace(",", ""):  # a comma parts keys: "comma"
        (binding,) = Binding.make_bindings([Binding(character, "x")])
        assert key_name(character) == binding.key, character


def test_the_actions_config_toml_knows_are_the_ids_of_the_apps_bindings() -> None:
    ids = {b.id for node in [TriageApp, *(n for nodes in screens().values() for n in nodes)]
           for bindings in declared(node).values() for b in bindings if b.id}  # fmt: skip
    assert ids == set(ACTIONS)


def test_every_action_has_its_words_in_both_languages() -> None:
    from triage_tui.i18n import en, nb

    for action in ACTIONS:
        assert f"key.{action}" in en.MESSAGES and f"key.{action}" in nb.MESSAGES, action


def test_a_short_line_keeps_help_and_the_days_keys_with_the_urgencies_as_one() -> None:
    keys = [("add", "a", "Add"), ("now", "1", "Now"), ("tomorrow", "2", "Tomorrow"), ("later", "3", "Later"),
            ("postpone", "p", "Postpone"), ("timer", "t", "Timer"), ("review", "w", "Week"),
            ("filter", "/", "Filter"), ("help", "?", "Help"), ("quit", "q", "Quit")]  # fmt: skip
    assert fit(keys, 200, "Urgency") == keys
    line = "  ".join(f"{key} {text}" for _, key, text in fit(keys, 63, "Urgency"))
    assert line == "a Add  1 2 3 Urgency  t Timer  w Week  / Filter  ? Help  q Quit"
    assert len(line) <= 63
    line = "  ".join(f"{key} {text}" for _, key, text in fit(keys, 20, "Urgency"))
    assert line == "a Add  ? Help"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[keys]\nadd_request = "n"', "no action add_request; the actions are add, now"),
        ('[keys]\nadd = "ctrl+foo"', 'add: "ctrl+foo" is not a key'),
        ('[keys]\nadd = "hyper+hyper+a"', 'add: "hyper+hyper+a" is not a key'),
        ("[keys]\nadd = 1", 'add: "1" is not a key'),
        ('[keys]\nadd = ""', 'add: "" is not a key'),
        ("[keys]\nadd = []", "add has no key"),
        ('[keys]\nsave = "s"', 'save: "s" would be typed into the form'),
        ('keys = "n"', "keys must be a table"),
        ("theme = 1", "theme must be the name of a theme"),
    ],
)
def test_a_wrong_key_or_theme_is_a_clear_error_naming_the_setting(
    tmp_path: Path, text: str, message: str
) -> None:
    path = write_config(tmp_path, text)
    with pytest.raises(TriageError, match=re.escape(message)) as caught:
        load_settings(tmp_path)
    assert str(path) in str(caught.value)


# -- a remapped key, in the app ---------------------------------------------------------------


async def test_a_remapped_key_does_its_action_and_shows_everywhere_and_the_old_one_does_not(
    folder, clock
) -> None:
    write_config(folder, '[keys]\nadd = "x"\nhelp = "h"\n')
    app = make_app(folder, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        shot = screen_text(app)
        assert re.search(r" x +add a request", shot)  # the welcome
        assert "h shows every key." in shot
        assert "x Add" in footer(app) and "h Help" in footer(app)
        assert "a Add" not in footer(app) and "? Help" not in footer(app)

        await pilot.press("a", "question_mark")  # the old keys do nothing now
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)

        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        shot = screen_text(app)
        assert re.search(r"\s x\s+Add\s", shot) and re.search(r"\s h\s+Help\s", shot)
        assert not re.search(r"\s a\s+Add\s", shot)
        assert "esc or h closes this help." in shot
        await pilot.press("h")  # the help key closes help too
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)

        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, Form)
        await typed(pilot, "7B-ER")
        await pilot.press("tab", "tab")
        await typed(pilot, "Remapped")
        await pilot.press("enter")
        await settle(pilot)
    (request,) = Caseload.open(folder, clock).open_requests()
    assert request.summary == "Remapped"


async def test_the_folded_lane_and_the_lanes_help_name_the_remapped_key(folder, clock) -> None:
    write_config(folder, '[keys]\nongoing = "v"\n')
    shell = Caseload.open(folder, clock)
    request = shell.add("7B", "Ongoing now", at=datetime(2026, 11, 26, 9, 0))
    shell.log(30, "conversation", request_id=request.id)
    app = make_app(folder, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "v shows them" in screen_text(app)
        await pilot.press("question_mark")
        await settle(pilot)
        assert "Ongoing (v) holds" in screen_text(app)


# -- a clash ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("keys", "first", "other", "key"),
    [
        ('add = "j"', "add", "down", "j"),  # a lane's key and the queue's
        ('add = "x"\ntimer = "x"', "add", "timer", "x"),  # two moved to one key
        ('review = "?"', "review", "help", "?"),
        ('previous_week = "left"', "previous_week", '"Cursor left"', "left"),  # the review's table
        ('palette = "ctrl+q"', "palette", '"Quit"', "ctrl+q"),  # Textual's own
    ],
)
def test_a_key_clash_is_refused_at_start_naming_both_actions(folder, clock, keys, first, other, key) -> None:
    path = write_config(folder, f"[keys]\n{keys}\n")
    with pytest.raises(TriageError) as caught:
        create_app(folder, clock)
    message = str(caught.value)
    assert f"puts {first} on {key}, which is the key of {other}" in message
    assert str(path) in message


def test_triage_refuses_a_clash_with_exit_2_and_says_why(folder, clock, capsys, monkeypatch) -> None:
    write_config(folder, '[keys]\nadd = "n"\n')
    monkeypatch.setenv("TRIAGE_DATA_DIR", str(folder))
    assert main([], clock=clock) == 2
    assert "puts add on n, which is the key of next_step on the queue" in capsys.readouterr().err


def test_keys_swapped_or_moved_to_a_free_key_are_no_clash(folder, clock) -> None:
    write_config(folder, '[keys]\nadd = "1"\nnow = "a"\nreview = "v"\n')
    app = create_app(folder, clock)
    assert app.caseload.settings.keys == {"add": "1", "now": "a", "review": "v"}


# -- the theme -------------------------------------------------------------------------------


CONFIG = """# my settings
later_days = 3   # short weeks
# the breaks
[[breaks]]
name = "Juleferie"
from = 2026-12-21
to = 2027-01-01
"""


async def test_the_theme_picked_in_the_palette_is_remembered_and_used_at_the_next_start(
    folder, clock
) -> None:
    path = write_config(folder, CONFIG)
    os.chmod(path, 0o640)
    app = make_app(folder, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.theme != "nord"
        await pilot.press("ctrl+p")
        await typed(pilot, "Theme")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.3)
        await typed(pilot, "nord")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert app.theme == "nord"
    text = path.read_text(encoding="utf-8")
    assert text == CONFIG.replace("# the breaks\n", 'theme = "nord"\n# the breaks\n')
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert load_settings(folder).later_days == 3
    async with make_app(folder, clock).run_test(size=SIZE) as pilot:
        assert pilot.app.theme == "nord"


def test_a_remembered_theme_replaces_the_old_one_on_its_line(tmp_path: Path) -> None:
    path = write_config(tmp_path, 'later_days = 3\ntheme = "nord"  # mine\n[keys]\nadd = "x"\n')
    remember_theme(tmp_path, "gruvbox")
    assert (
        path.read_text(encoding="utf-8") == 'later_days = 3\ntheme = "gruvbox"  # mine\n[keys]\nadd = "x"\n'
    )


def test_a_theme_remembered_without_a_config_makes_a_private_one(tmp_path: Path) -> None:
    remember_theme(tmp_path, "nord")
    path = tmp_path / "config.toml"
    assert path.read_text(encoding="utf-8") == 'theme = "nord"\n'
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_config_that_cannot_be_read_is_left_alone(tmp_path: Path) -> None:
    path = write_config(tmp_path, "later_days = \n")
    with pytest.raises(TriageError, match="the theme is not saved"):
        remember_theme(tmp_path, "nord")
    assert path.read_text(encoding="utf-8") == "later_days = \n"


async def test_an_unknown_theme_says_so_and_the_app_starts(folder, clock) -> None:
    write_config(folder, 'theme = "no-such-theme"\n')
    app = make_app(folder, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.theme == "textual-dark"
        assert "no-such-theme" in notices(app)
