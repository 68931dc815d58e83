"""RODO (GDPR) for the data subject: export (art. 15), retention map (JRWA), register (art. 30)."""
