"""Dated parameters of the law core as TOML data files (see ``ostoja/law/README.md``)."""
