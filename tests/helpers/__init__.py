"""Shared fixtures, fakes and utilities for the tests."""
