"""Shared test configuration."""

import os

import hypothesis

# Deterministic, bounded property tests: CI must neither flake nor run long.
hypothesis.settings.register_profile(
    "jaxbig", deadline=None, max_examples=60, derandomize=True, print_blob=True
)
hypothesis.settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "jaxbig"))
