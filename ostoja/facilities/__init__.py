"""Social infrastructure (issue 14): facilities, places, referrals, waiting lists, DPS placement
and fees, shelters, supported flats, support centres.
"""
