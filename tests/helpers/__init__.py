"""What more than one test module needs: test data, fakes and small utilities.

Fixtures stay in the conftest files (tests/conftest.py, tests/gui/conftest.py); they and the
test modules import from here, never from one another. Each helper with logic of its own is
tested in a `test_*.py` beside it.
"""
