"""GUI tests: real widgets, offscreen, through pytest-qt."""
