"""Services at home and in kind, and the powiat's help (issue 15): care-service orders with
provider billing, service events without a decision, leaving care, refugees' integration.
"""
