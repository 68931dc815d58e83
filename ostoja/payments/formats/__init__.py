"""Pure file formats of the payments context (no Django, no database).

- :mod:`.accounts` — NRB / IBAN validation, sort codes, bank names (formats.md §1)
- :mod:`.text` — sanitising and transliterating text for bank files (formats.md §2.4, §8)
- :mod:`.elixir` — Elixir-O writer, message type 110 (formats.md §2)
- :mod:`.pain001` — ISO 20022 pain.001.001.03 writer (formats.md §3)
- :mod:`.statements` — MT940 and CSV bank statement parsers (formats.md §4)
- :mod:`.zus` — the monthly health-contribution list (formats.md §7)
"""
