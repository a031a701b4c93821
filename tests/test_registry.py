"""The registry and make(): names, keywords, errors, and what every entry promises."""

import dataclasses
import inspect

import pytest

import jaxbig
from jaxbig import registry
from jaxbig.__main__ import format_listing, main


def test_every_entry_is_a_frozen_dataclass_with_its_formula_documented():
    assert registry.entries(), "nothing is registered"
    for entry in registry.entries():
        assert dataclasses.is_dataclass(entry.cls) and entry.cls.__dataclass_params__.frozen
        doc = inspect.getdoc(entry.cls) or ""
        assert entry.formula in doc, f"{entry.name}: formula {entry.formula!r} not in its docstring"
        assert "Args:" in doc or "Attributes:" in doc, f"{entry.name}: no Args/Attributes section"


def test_every_entry_is_exported_by_its_family_package():
    for entry in registry.entries():
        module = entry.cls.__module__.split(".")
        package = getattr(jaxbig, module[1])
        assert entry.name in package.__all__, f"{entry.name} is not in jaxbig.{module[1]}.__all__"
        assert getattr(package, entry.name) is entry.cls


def test_family_all_lists_are_sorted():
    for family in ("reconciliation", "expansion", "compression", "interdependence",
                   "remainder", "fusion", "entropy", "ops"):
        names = getattr(jaxbig, family).__all__
        assert list(names) == sorted(names), f"jaxbig.{family}.__all__ is not sorted"
    assert list(jaxbig.__all__) == sorted(jaxbig.__all__)


def test_lookup_resolves_jaxbig_tinybig_and_dotted_names():
    for entry in registry.entries():
        assert registry.lookup(entry.name) is entry
        if entry.tinybig:
            assert registry.lookup(entry.tinybig) is entry
            assert registry.lookup(f"tinybig.{entry.family}.{entry.tinybig}") is entry


def test_default_constructible_entries_are_hashable_and_equal_by_value():
    for entry in registry.entries():
        if entry.required():
            continue
        a, b = jaxbig.make(entry.name), jaxbig.make(entry.name)
        assert a == b and hash(a) == hash(b)
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(a, "__dummy__", 1) if not entry.fields() else setattr(a, entry.fields()[0], None)


def test_unknown_name_lists_close_matches():
    with pytest.raises(ValueError, match=r"make: unknown function 'duplicated_diagonal_paddin_reconciliation'.*close matches: duplicated_diagonal_padding_reconciliation"):
        jaxbig.make("duplicated_diagonal_paddin_reconciliation", p=2)


def test_unknown_keyword_names_the_function_and_close_matches():
    entry = next(e for e in registry.entries() if e.fields())
    field = entry.fields()[0]
    with pytest.raises(ValueError, match=rf"make: {entry.name} has no hyperparameter '{field}x'.*close matches: {field}"):
        jaxbig.make(entry.name, **{field + "x": 1})


def test_tinybig_bookkeeping_keywords_are_accepted():
    entry = next(e for e in registry.entries() if not e.required() and e.tinybig)
    assert jaxbig.make(entry.tinybig, name="anything", device="cuda") == jaxbig.make(entry.name)


def test_missing_required_hyperparameter_is_named():
    entry = next((e for e in registry.entries() if e.required()), None)
    if entry is None:
        pytest.skip("no registered function has a required hyperparameter")
    with pytest.raises(ValueError, match=rf"make: {entry.name} requires {entry.required()[0]}"):
        jaxbig.make(entry.name)


def test_register_rejects_a_name_already_taken():
    entry = registry.entries()[0]
    with pytest.raises(ValueError, match="already taken"):
        @registry.register(family=entry.family, formula="x", tinybig=entry.tinybig or entry.name)
        @dataclasses.dataclass(frozen=True)
        class Clash:  # noqa: F841
            """x"""


def test_listing_is_built_from_the_registry(capsys):
    assert main([]) == 0
    out = capsys.readouterr().out
    assert out.strip() == format_listing().strip()
    assert f"jaxbig {jaxbig.__version__}" in out
    for entry in registry.entries():
        line = next(l for l in out.splitlines() if f" {entry.name} " in l)
        assert line.startswith(entry.family) and entry.formula in line
        assert (entry.tinybig or "-") in line


GRID = {"grid_class": "tinybig.koala.geometry.grid", "grid_parameters": {"h": 4, "w": 3, "universe_num": 2}}


@pytest.mark.parametrize("name, extra", [
    ("cuboid_max_based_geometric_compression", {"p_h": 1, "p_w": 1, "p_d": 0}),
    ("cuboid_patch_based_geometric_expansion", {"p_h": 1, "p_w": 0, "p_d": 0}),
    ("cylinder_patch_based_geometric_interdependence", {"p_r": 1, "p_d": 0}),
])
def test_grid_configs_stand_for_the_grid_hyperparameters(name, extra):
    made = jaxbig.make(name, grid_configs=GRID, **extra)
    assert made == jaxbig.make(name, h=4, w=3, d=1, channel_num=2, **extra)


def test_bad_grid_configs_are_named():
    with pytest.raises(ValueError, match=r"got 'h' twice \(in grid_configs and as 'h'\)"):
        jaxbig.make("geometric_expansion", grid_configs=GRID, h=4)
    with pytest.raises(ValueError, match=r"GeometricExpansion: grid_configs must be"):
        jaxbig.make("geometric_expansion", grid_configs={"grid_class": "tinybig.koala.geometry.cube"})
    with pytest.raises(ValueError, match=r"grid_parameters need h, w"):
        jaxbig.make("geometric_expansion", grid_configs={"grid_class": "grid", "grid_parameters": {"h": 2}})
    with pytest.raises(ValueError, match=r"no hyperparameter 'grid_configs'"):  # no grid to describe
        jaxbig.make("taylor_expansion", grid_configs=GRID)


def test_interdependence_accepts_tinybig_require_flags_that_describe_it():
    lowrank = jaxbig.make("lowrank_parameterized_bilinear_interdependence", b=2, m=4, r=1,
                          require_parameters=True, require_data=True)
    assert lowrank == jaxbig.make("lowrank_parameterized_bilinear_interdependence", b=2, m=4, r=1)
    with pytest.raises(ValueError, match=r"require_parameters=False, but it does have parameters"):
        jaxbig.make("parameterized_interdependence", b=2, m=4, require_parameters=False)
    with pytest.raises(ValueError, match=r"require_data=True, but it does not read x"):
        jaxbig.make("parameterized_interdependence", b=2, m=4, require_data=True)
    with pytest.raises(ValueError, match=r"require_data=1, but it does not read x"):
        jaxbig.make("identity_interdependence", b=2, m=4, require_data=1)
