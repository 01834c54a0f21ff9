"""The one strict params loader (`pipeline.common.settings_from_params`): casts by the field's
annotation, rejects unknown keys naming the key and the block, keeps defaults, loads nested blocks;
and every stage's params.yaml block fits its settings dataclass exactly."""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.agreement.build import AggregateParams
from pipeline.common import ParamsError, load_params, settings_from_params
from pipeline.intake.classify import IngestConfig, IngestParams
from pipeline.normalize import NormalizeSettings
from pipeline.parsing.rules import ParseConfig
from pipeline.quality.checks import GateSettings
from pipeline.reporting.data import ReportSettings


@dataclass(frozen=True)
class Inner:
    share: float = 0.5
    count: int = 3


@dataclass(frozen=True)
class Outer:
    ratio: float = 0.05
    limit: int = 10
    enabled: bool = False
    name: str = "x"
    path: str | None = None
    codes: tuple[str, ...] = ("it",)
    factors: dict[str, float] = field(default_factory=lambda: {"a": 1.0, "b": 0.5})
    inner: Inner = Inner()


def test_missing_keys_keep_their_defaults():
    assert settings_from_params(Outer, {}, "demo") == Outer()
    assert settings_from_params(Outer, None, "demo") == Outer()
    assert settings_from_params(Outer, {"limit": 7}, "demo") == Outer(limit=7)


def test_values_are_cast_by_annotation():
    got = settings_from_params(Outer, {"ratio": 1, "limit": 12.0, "enabled": True, "name": "y", "path": None,
                                       "codes": ["it", "en"], "inner": {"share": 1}}, "demo")
    assert got == Outer(ratio=1.0, limit=12, enabled=True, name="y", codes=("it", "en"), inner=Inner(share=1.0))
    assert type(got.ratio) is float and type(got.limit) is int and type(got.inner.share) is float
    assert isinstance(got.codes, tuple)


@settings(max_examples=150, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False))
def test_a_float_setting_is_never_truncated(value):
    assert settings_from_params(Outer, {"ratio": value}, "demo").ratio == value


@settings(max_examples=150, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12))
def test_an_int_setting_takes_whole_numbers_only(value):
    if value == math.floor(value):
        assert settings_from_params(Outer, {"limit": value}, "demo").limit == int(value)
    else:
        with pytest.raises(ParamsError, match=r"params demo\.limit: expected a whole number"):
            settings_from_params(Outer, {"limit": value}, "demo")


@pytest.mark.parametrize("key, value, message", [
    ("limit", True, r"demo\.limit: expected a whole number"),  # YAML true is not 1
    ("limit", "10", r"demo\.limit: expected a whole number"),
    ("ratio", "0.1", r"demo\.ratio: expected a number"),
    ("enabled", 1, r"demo\.enabled: expected true or false"),
    ("name", 5, r"demo\.name: expected a string, got 5 \(quote it"),
    ("codes", ["it", False], r"demo\.codes\[1\]: expected a string, got False \(quote it"),  # bare `no` in YAML
    ("codes", "it", r"demo\.codes: expected a list"),
    ("inner", 3, r"demo\.inner: expected a block of keys"),
])
def test_a_value_that_does_not_fit_is_a_clear_error(key, value, message):
    with pytest.raises(ParamsError, match=message):
        settings_from_params(Outer, {key: value}, "demo")


def test_an_unknown_key_is_rejected_naming_the_key_and_the_block():
    with pytest.raises(ParamsError, match=r"params parse: unknown key 'title_max_char' \(known: "):
        settings_from_params(ParseConfig, {"title_max_char": 100}, "parse")
    with pytest.raises(ParamsError, match=r"params demo\.inner: unknown keys 'shar', 'z'"):
        settings_from_params(Outer, {"inner": {"shar": 0.1, "z": 1}}, "demo")
    # positive control: the same blocks spelled right load
    assert settings_from_params(ParseConfig, {"title_max_chars": 100}, "parse").title_max_chars == 100
    assert settings_from_params(Outer, {"inner": {"share": 0.1}}, "demo").inner == Inner(share=0.1)


def test_a_mapping_block_names_only_what_it_changes():
    got = settings_from_params(Outer, {"factors": {"b": 2}}, "demo")
    assert got.factors == {"a": 1.0, "b": 2.0}
    assert Outer().factors == {"a": 1.0, "b": 0.5}  # the default is not modified


def test_nested_aggregate_blocks_load_and_reject_unknown_keys():
    loaded = settings_from_params(AggregateParams, {"conflicts": {"min_conflict_confidence": 0.65,
                                                                  "kind_factors": {"time": 0.5}}}, "aggregate")
    assert loaded.conflicts.min_conflict_confidence == 0.65  # a float, not truncated to 0
    assert loaded.conflicts.kind_factors["time"] == 0.5
    assert loaded.conflicts.kind_factors["quantity"] == AggregateParams().conflicts.kind_factors["quantity"]
    assert loaded.events == AggregateParams().events
    with pytest.raises(ParamsError, match=r"params aggregate\.events: unknown key 'lead_sentence'"):
        settings_from_params(AggregateParams, {"events": {"lead_sentence": 3}}, "aggregate")


# --- the project's own params.yaml ----------------------------------------------------------------

STAGE_SETTINGS = {
    "ingest": IngestParams,
    "parse": ParseConfig,
    "normalize": NormalizeSettings,
    "aggregate": AggregateParams,
    "validate": GateSettings,
    "report": ReportSettings,
}


def _field_names(cls) -> set[str]:
    return {f.name for f in dataclasses.fields(cls)}


@pytest.mark.parametrize("block", sorted(STAGE_SETTINGS))
def test_each_params_block_is_its_settings_key_for_key(block):
    cls = STAGE_SETTINGS[block]
    params = load_params(block)
    assert set(params) == _field_names(cls), "params.yaml and the settings dataclass disagree"
    defaults = {f.name: f.default for f in dataclasses.fields(cls)}
    for name, value in params.items():  # nested blocks too
        if dataclasses.is_dataclass(defaults[name]):
            assert set(value) == _field_names(type(defaults[name])), f"{block}.{name}"
    loaded = settings_from_params(cls, params, block)
    assert isinstance(loaded, cls)


def test_the_loaded_params_equal_what_the_stages_read_before():
    agg = settings_from_params(AggregateParams, load_params("aggregate"), "aggregate")
    assert agg.conflicts.min_conflict_confidence == 0.7 and agg.events.lead_sentences == 4
    assert agg.conflicts.kind_factors["quantity"] == 1.0 and agg.near_duplicates.min_jaccard == 0.3
    gate = settings_from_params(GateSettings, load_params("validate"), "validate")
    assert gate.min_entity_sentence_share == 0.3 and gate.sample_rows == 5
    report = settings_from_params(ReportSettings, load_params("report"), "report")
    assert report.dpi == 110 and report.max_rows == 200
    config = IngestConfig.from_params(load_params("ingest"))
    assert config.max_bytes == 2_000_000 and config.max_control_ratio == 0.05
    assert config.langid_candidates[:2] == ("it", "en") and "no" in config.langid_candidates


def test_params_read_as_dvc_writes_them_keep_yes_and_no_strings(tmp_path):
    # `dvc exp run -S` rewrites params.yaml without quotes (YAML 1.2: `no` is a string); the
    # language code of Norwegian must stay a code, and only true/false are booleans
    (tmp_path / "params.yaml").write_text(
        "ingest:\n  langid_candidates:\n  - it\n  - no\n  - on\n  flags: [true, False, yes]\n", encoding="utf-8")
    block = load_params("ingest", tmp_path)
    assert block["langid_candidates"] == ["it", "no", "on"]
    assert block["flags"] == [True, False, "yes"]
    config = IngestConfig.from_params({"langid_candidates": block["langid_candidates"][:2]})
    assert "no" in config.langid_candidates
