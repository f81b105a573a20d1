"""Plain helpers shared by tests: imported explicitly, never from a conftest."""
