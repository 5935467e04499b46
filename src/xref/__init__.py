"""xref."""
