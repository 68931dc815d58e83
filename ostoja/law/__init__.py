"""Ostoja law core — the Act on social assistance (u.p.s.), KPA deadlines and the centre's
dated parameters as pure Python. Imports nothing from Django or the rest of ``ostoja``; no
clock (every calculation takes its dates). See ``ostoja/law/README.md``.

Entry points:

- ``ostoja.law.interface.calculate_document(doc)`` — request document → result document;
- ``ostoja.law.benefits.calculate(case, benefit)`` — typed calculators returning
  ``BenefitResult`` with a trace;
- ``ostoja.law.deadlines`` — KPA and Act deadlines;
- ``ostoja.law.store.default_store()`` / ``ParameterStore.packaged(override_dir=...)``.
"""
