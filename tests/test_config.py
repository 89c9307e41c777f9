"""docqa/config.py: one Settings for every DOCQA_* option, and README.md's table matches it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from docqa.config import Settings, environment_name, load_settings, markdown_table, shown_default
from docqa.errors import InvalidInput

README = Path(__file__).resolve().parent.parent / "README.md"


def readme_configuration_rows() -> dict[str, tuple[str, str]]:
    """{variable: (default, meaning)} from the table in README.md's "### Configuration" section."""
    text = README.read_text(encoding="utf-8")
    section = text.split("### Configuration\n", 1)[1].split("\n#", 1)[0]
    rows: dict[str, tuple[str, str]] = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")] if line.startswith("|") else []
        if len(cells) != 3 or cells[0] in ("variable", "---") or set(cells[0]) <= {"-"}:
            continue
        names = re.findall(r"`(DOCQA_[A-Z_]+)`", cells[0])
        assert len(names) == 1, f"one variable per row, got {cells[0]!r}"
        rows[names[0]] = (cells[1], cells[2])
    return rows


def test_the_readme_table_lists_every_setting_with_its_default_and_meaning() -> None:
    documented = readme_configuration_rows()
    fields = {environment_name(name): (shown_default(info), info.description) for name, info in Settings.model_fields.items()}
    hint = "regenerate README's table with: python -m docqa.config"
    assert sorted(set(fields) - set(documented)) == [], f"settings missing from README.md ({hint})"
    assert sorted(set(documented) - set(fields)) == [], f"README.md documents variables docqa does not read ({hint})"
    for name, (default, meaning) in fields.items():
        assert documented[name][0] == default, f"{name}: README default {documented[name][0]!r} != {default!r} ({hint})"
        assert documented[name][1] == meaning, f"{name}: README meaning differs from the field's description ({hint})"


def test_the_table_generator_and_the_readme_agree_row_for_row() -> None:
    assert markdown_table() in README.read_text(encoding="utf-8")


def test_every_field_has_help_text() -> None:
    assert all(info.description for info in Settings.model_fields.values())


def test_shown_defaults_are_the_real_defaults_where_a_value_is_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in Settings.model_fields:
        monkeypatch.delenv(environment_name(name), raising=False)
    settings = Settings()
    for name, info in Settings.model_fields.items():
        shown = re.match(r"`([^`]*)`", shown_default(info))
        if shown and not isinstance(getattr(settings, name), Path):  # paths depend on $HOME / $XDG_*
            assert shown.group(1) == str(getattr(settings, name)), name


def test_new_fields_read_their_variables(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DOCQA_BACKEND", "ONNX-fp32")
    monkeypatch.setenv("DOCQA_THREADS", "3")
    monkeypatch.setenv("DOCQA_INDEX_TYPE", "hnsw")
    monkeypatch.setenv("DOCQA_CACHE", str(tmp_path))
    monkeypatch.setenv("DOCQA_MAX_QUESTION_CHARS", "50")
    settings = Settings()
    assert (settings.backend, settings.threads, settings.index_type, settings.cache, settings.max_question_chars) == (
        "onnx-fp32",
        3,
        "hnsw",
        tmp_path,
        50,
    )


def test_settings_are_frozen() -> None:
    with pytest.raises(ValidationError):
        Settings().port = 1  # type: ignore[misc]


def test_a_bad_value_is_a_readable_error_naming_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCQA_INDEX_TYPE", "btree")
    with pytest.raises(InvalidInput, match=r"DOCQA_INDEX_TYPE: unknown index type 'btree'; choose one of: auto, flat, ivf, hnsw"):
        load_settings()


def test_flags_win_over_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCQA_PORT", "9000")
    assert load_settings(port=9100, host=None).port == 9100
    assert load_settings(port=None).port == 9000


def test_a_bad_flag_value_names_the_flag_and_a_bad_variable_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCQA_PORT", "abc")
    with pytest.raises(InvalidInput, match=r"^Invalid setting: DOCQA_PORT: "):
        load_settings()
    with pytest.raises(InvalidInput, match=r"^Invalid setting: --chunk-tokens: .*greater than or equal to 16"):
        load_settings(port=8000, chunk_tokens=3)


def test_a_folder_setting_may_start_with_the_home_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCQA_INDEX", "~/docqa-index")
    assert load_settings().index == Path.home() / "docqa-index"
    assert load_settings(cache=Path("~/c")).cache == Path.home() / "c"


def test_text_that_is_not_utf8_is_refused_naming_where_it_came_from(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCQA_ADMIN_TOKEN", "tok\udcffen")  # the byte 0xff in the environment, as Python reads it
    with pytest.raises(InvalidInput, match=r"^Invalid setting: DOCQA_ADMIN_TOKEN: not valid UTF-8 text$"):
        load_settings()
    monkeypatch.delenv("DOCQA_ADMIN_TOKEN")
    with pytest.raises(InvalidInput, match=r"^Invalid setting: --host: not valid UTF-8 text$"):
        load_settings(host="local\udcffhost")
    assert load_settings(index=Path("/tmp/idx\udcff")).index == Path("/tmp/idx\udcff")  # a folder may have any bytes


def test_an_empty_model_is_refused_not_taken_for_the_working_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCQA_MODEL", "")
    with pytest.raises(InvalidInput, match=r"^Invalid setting: DOCQA_MODEL: "):
        load_settings()
    with pytest.raises(InvalidInput, match=r"^Invalid setting: --model: "):
        load_settings(model="  ")


FLOAT_SETTINGS = [environment_name(name) for name, info in Settings.model_fields.items() if float in (info.annotation, *getattr(info.annotation, "__args__", ()))]


def test_the_float_settings_are_the_known_four() -> None:
    assert sorted(FLOAT_SETTINGS) == ["DOCQA_INGEST_MAX_SECONDS", "DOCQA_MIN_CONFIDENCE", "DOCQA_RELOAD_CHECK_SECONDS", "DOCQA_REQUEST_TIMEOUT_SECONDS"]


@pytest.mark.parametrize("variable", FLOAT_SETTINGS)
@pytest.mark.parametrize("value", ["inf", "-inf", "Infinity", "nan", "NaN"])
def test_a_float_setting_must_be_a_finite_number(monkeypatch: pytest.MonkeyPatch, variable: str, value: str) -> None:
    """DOCQA_INGEST_MAX_SECONDS=inf gave a PDF bomb all the time in the world; nan was refused only by luck of the
    bound's comparison ("greater than 0"). Every float setting is refused at load, naming the variable."""
    monkeypatch.setenv(variable, value)
    with pytest.raises(InvalidInput, match=rf"^Invalid setting: {variable}: .*finite number"):
        load_settings()


@pytest.mark.parametrize("value", ["0", "-1", "-0.5"])
def test_ingest_max_seconds_must_be_positive(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("DOCQA_INGEST_MAX_SECONDS", value)
    with pytest.raises(InvalidInput, match=r"^Invalid setting: DOCQA_INGEST_MAX_SECONDS: .*greater than 0"):
        load_settings()


@pytest.mark.parametrize("variable", ["DOCQA_INDEX", "DOCQA_CORPUS", "DOCQA_CACHE"])
def test_an_empty_folder_setting_is_refused_not_taken_for_the_working_folder(monkeypatch: pytest.MonkeyPatch, variable: str) -> None:
    monkeypatch.setenv(variable, " ")
    with pytest.raises(InvalidInput, match=rf"^Invalid setting: {variable}: "):
        load_settings()


@pytest.mark.parametrize("value", ["10.0.0.0/33", "abc", "10.0.0.1 10.0.0.2", "127.0.0.1;10.0.0.1"])
def test_a_trusted_proxy_that_is_no_address_is_refused_not_silently_never_matched(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    """uvicorn takes an entry it cannot parse for a literal name no peer has: every client behind the proxy
    would then share the proxy's address (one rate-limit bucket), with no word said."""
    monkeypatch.setenv("DOCQA_TRUSTED_PROXIES", value)
    with pytest.raises(InvalidInput, match=r"^Invalid setting: DOCQA_TRUSTED_PROXIES: .*address or network"):
        load_settings()


def test_trusted_proxies_take_addresses_and_networks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCQA_TRUSTED_PROXIES", " 127.0.0.1, 10.0.0.0/8,::1 ,fd00::/8,")
    assert load_settings().trusted_proxies == " 127.0.0.1, 10.0.0.0/8,::1 ,fd00::/8,"


@pytest.mark.model
def test_min_confidence_moves_the_decline_point_and_empty_means_the_models(corpus_index, monkeypatch):
    from docqa.server.components import open_assistant

    question = "When does ERA PerMed start?"
    assert open_assistant(load_settings(index=corpus_index)).ask(question).answered
    assert not open_assistant(load_settings(index=corpus_index, min_confidence=0.999)).ask(question).answered
    monkeypatch.setenv("DOCQA_MIN_CONFIDENCE", "")
    assert load_settings().min_confidence is None  # an empty variable: the model's operating point
    monkeypatch.setenv("DOCQA_MIN_CONFIDENCE", "1.5")
    with pytest.raises(InvalidInput, match="DOCQA_MIN_CONFIDENCE"):
        load_settings()
