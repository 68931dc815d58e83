"""Cooperation and new forms of help (issue 16): partners, commissioned tasks and grants,
referrals with feedback, programmes, volunteers and self-help.
"""
