"""Article texts of the demo site, one module per language (used by build_site)."""
